// Benchmark (not a test): how long the widget takes, in headless Chromium, from navigation
// to every element of a page having its final status — a page of 1 badge and a page of
// 50 — on the test world of widget-world.js (everything on 127.0.0.1). Budget (issue #6):
// 50 badges settle within 600 ms on a local server.
//
//   node tests/web/bench-widget.mjs [--runs 5]
//
// Cold: a fresh browser context per run (empty HTTP cache, Cache API and code cache);
// warm: the same page reloaded in that context. The time runs from the navigation to the
// status change that made the last element final. Prints a table and writes
// target/bench/widget.json.

import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { root, widgetScript, chromiumPath, chromiumArgs, BROWSER_NOW, startWorld } from './widget-world.js';

const argv = process.argv.slice(2);
const runs = Number(argv[argv.indexOf('--runs') + 1] || 5) || 5;
const BUDGET_50 = 600;

if (!fs.existsSync(widgetScript)) {
  console.error(`the widget is not built at ${widgetScript}: run \`cargo xtask dist\``);
  process.exit(2);
}

// Tells the harness (an exposed binding) the moment every qlabel element first has a final status.
function recorder() {
  let done = false;
  const check = () => {
    if (done || document.readyState === 'loading') return;
    const els = document.querySelectorAll('qlabel-badge, qlabel-seal');
    if (!els.length) return;
    for (const e of els) {
      const s = e.getAttribute('status');
      if (!s || s === 'loading') return;
    }
    done = true;
    window.__qlabelBenchSettled(els.length, [...els].map((e) => e.getAttribute('status')));
  };
  new MutationObserver(check).observe(document, { subtree: true, attributes: true, attributeFilter: ['status'] });
  document.addEventListener('DOMContentLoaded', check);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x) => Math.round(x * 10) / 10;

const loadBefore = os.loadavg()[0];
const server = await startWorld();
const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
const version = browser.version();
const pages = [
  { name: '1 badge', path: '/pages/badge-labelled.html', count: 1 },
  { name: '50 badges', path: '/pages/fifty.html', count: 50 },
  // The same 50 without trust or registry: the badges' own checks, no label looked up.
  { name: '50, no label', path: '/pages/fifty.html?badge-only', count: 50 },
];

// The time is taken here, in Node: from just before the navigation is asked for to the
// moment the page reports (a CDP binding, about a millisecond). The page's own clocks
// (performance.now, event time stamps) are Playwright's fake clock, which keeps the
// world's dates right but does not restart at each navigation.
let settled = null;
async function measure(page, url, count, reload) {
  const done = new Promise((resolve) => {
    settled = (n, statuses) => resolve({ at: performance.now(), n, statuses });
  });
  const t0 = performance.now();
  if (reload) await page.reload({ waitUntil: 'commit' });
  else await page.goto(url, { waitUntil: 'commit' });
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error(`${url}: not settled within 30 s`)), 30000));
  const r = await Promise.race([done, timeout]);
  if (r.n !== count) throw new Error(`${url}: ${r.n} elements settled, expected ${count}`);
  return { ms: r.at - t0, statuses: r.statuses };
}

/** The HTTP requests of a page load, by kind of document. */
function tallyRequests(list) {
  const kinds = [
    [/^\/widget\//, 'widget and qlabel-wasm files'],
    [/^\/pages\//, 'page'],
    [/^\/badges\//, 'badges'],
    [/^\/trust\//, 'trust file'],
    [/\/(registry\.json|shards\/)/, 'registry and shards'],
    [/\/labels\//, 'label credentials'],
    [/\/authority\.json$/, 'authority.json'],
    [/\/status\//, 'status lists'],
  ];
  const out = {};
  for (const r of list) {
    const kind = kinds.find(([re]) => re.test(r.path))?.[1] ?? 'other';
    out[kind] = (out[kind] ?? 0) + 1;
  }
  return out;
}

const results = {};
try {
  for (const p of pages) {
    const cold = [];
    const warm = [];
    let statuses;
    let requests;
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
      await context.clock.setFixedTime(new Date(BROWSER_NOW));
      await context.exposeFunction('__qlabelBenchSettled', (n, statuses) => settled?.(n, statuses));
      await context.addInitScript(recorder);
      const page = await context.newPage();
      const url = `${server.origin}${p.path}`;
      server.requests.length = 0;
      const c = await measure(page, url, p.count, false);
      if (i === 0) requests = tallyRequests(server.requests);
      const w = await measure(page, url, p.count, true);
      cold.push(c.ms);
      warm.push(w.ms);
      statuses = c.statuses;
      await context.close();
    }
    const tally = {};
    for (const s of statuses) tally[s] = (tally[s] ?? 0) + 1;
    results[p.name] = {
      page: p.path,
      elements: p.count,
      statuses: tally,
      requestsCold: requests,
      coldMs: { median: round(median(cold)), min: round(Math.min(...cold)), max: round(Math.max(...cold)), runs: cold.map(round) },
      warmMs: { median: round(median(warm)), min: round(Math.min(...warm)), max: round(Math.max(...warm)), runs: warm.map(round) },
    };
  }
} finally {
  await browser.close().catch(() => {});
  await server.close();
}

const report = {
  schema: 'qlabel-bench-widget/1',
  date: new Date().toISOString(),
  machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), os: `${os.type()} ${os.release()} ${os.arch()}` },
  // 1-minute load average before and after: other work on a shared box slows the browser.
  loadAverage: { before: round(loadBefore), after: round(os.loadavg()[0]) },
  chromium: version,
  node: process.version,
  runs,
  budgetMs: { '50 badges': BUDGET_50 },
  results,
};
const out = path.join(root, 'target/bench/widget.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(report, null, 2) + '\n');

console.log(
  `widget: navigation → every element final, median of ${runs} runs (Chromium ${version}, ${report.machine.cpu}, ${report.machine.cores} cores, load average ${report.loadAverage.before} → ${report.loadAverage.after})`,
);
console.log('page          cold median (min–max)      warm median (min–max)    statuses');
for (const [name, r] of Object.entries(results)) {
  const f = (m) => `${String(m.median).padStart(7)} ms (${m.min}–${m.max})`.padEnd(27);
  console.log(`${name.padEnd(13)} ${f(r.coldMs)} ${f(r.warmMs)} ${JSON.stringify(r.statuses)}`);
}
for (const [name, r] of Object.entries(results)) console.log(`requests, ${name} (cold): ${JSON.stringify(r.requestsCold)}`);
const fifty = results['50 badges'].coldMs.median;
console.log(`budget: 50 badges ≤ ${BUDGET_50} ms: cold median ${fifty} ms — ${fifty <= BUDGET_50 ? 'within' : 'OVER'} budget`);
console.log(`written to ${path.relative(process.cwd(), out) || out}`);

// A benchmark, not a test: the browser extension (built by `cargo xtask extension` with
// the test world's presets, loaded in headless Chromium as extension.test.js does) on the
// world's pages (ext-world.js), at the real time.
//
// (a) The page of 100 badge links (https://issuer.example/hundred.html): time from the
//     navigation's start (performance.timeOrigin) to the last mark reaching its final
//     status on the page (qlabelStats[tab].lastPaintAt: when the content script painted
//     the last results; or the moment the page was seen final when the stats say
//     nothing). `--runs` browsers, each launched with a new profile: the page once cold
//     (nothing verified yet, empty caches, the wasm not yet compiled), then once warm in a
//     new tab (the service worker's results kept). Each run says how many of the 100
//     credentials the server was asked for.
// (b) The page without badges (https://issuer.example/plain.html): qlabelStats[tab].scriptMs,
//     the content script's main-thread time on the page, `--plain-runs` loads.
//
// Prints a markdown table, then the results as JSON, which also go to `--out FILE`
// (default target/bench/extension.json; `cargo xtask bench` reads them there).
//
// Run: cd tests/web && node bench-extension.mjs [--runs 5] [--plain-runs 10] [--out FILE]

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startExtWorld, launchWithExtension } from './ext-world.js';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = arg('--runs', 5);
const OUT = (() => {
  const i = process.argv.indexOf('--out');
  return i > 0 ? path.resolve(process.argv[i + 1]) : path.resolve(import.meta.dirname, '../../target/bench/extension.json');
})();
const PLAIN_RUNS = arg('--plain-runs', 10);
const TIMEOUT = 60000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x) => (x === null ? null : Math.round(x * 10) / 10);

const world = await startExtWorld();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qlabel-ext-bench-'));
const statsOf = async (sw, tabId) => (await (await sw()).evaluate((id) => globalThis.qlabelStats?.[id] ?? null, tabId)) ?? null;

/** One load of the 100-badge page in a new tab; `kind` says whether anything was verified before. */
async function hundredOnce(ctx, sw, tabIdOf, run, kind) {
  const page = await ctx.newPage();
  const from = world.requests.length;
  await page.goto(world.pages.hundred, { waitUntil: 'commit' });
  const end = Date.now() + TIMEOUT;
  let seenFinalAt = null;
  let marks = 0;
  for (;;) {
    const s = await page
      .evaluate(() => {
        const m = [...document.querySelectorAll('qlabel-mark')];
        return { n: m.length, final: m.filter((x) => x.getAttribute('status') && x.getAttribute('status') !== 'loading').length };
      })
      .catch(() => ({ n: 0, final: 0 }));
    marks = s.final;
    if (s.n >= 100 && s.final === s.n) {
      seenFinalAt = Date.now();
      break;
    }
    if (Date.now() > end) break;
    await sleep(25);
  }
  const timeOrigin = await page.evaluate(() => performance.timeOrigin);
  const tabId = await tabIdOf(page);
  const stats = await statsOf(sw, tabId);
  const fetched = world.requests.slice(from).filter((r) => r.host === 'issuer.example' && /^\/badges\/h-\d+\.json$/.test(r.path)).length;
  const viaStats = stats && stats.lastPaintAt && stats.done >= 100 ? stats.lastPaintAt - timeOrigin : null;
  const result = {
    run,
    kind,
    ms: round(viaStats ?? (seenFinalAt ? seenFinalAt - timeOrigin : null)),
    measuredBy: viaStats !== null ? 'qlabelStats.lastPaintAt' : seenFinalAt ? 'poll' : 'timeout',
    msPolled: seenFinalAt ? round(seenFinalAt - timeOrigin) : null,
    finalMarks: marks,
    credentialsFetched: fetched,
    stats,
  };
  await page.close();
  return result;
}

const hundred = [];
const plain = [];
let chromiumVersion = null;
try {
  // (a) 100 badges: each launch is a new browser with a new profile (cold: nothing
  // verified, no HTTP cache, the service worker's wasm not compiled yet), then the page
  // once more in a new tab (warm: the service worker's results and caches are kept).
  for (let run = 1; run <= RUNS; run++) {
    const dir = path.join(tmp, `run-${run}`);
    const { ctx, sw, tabIdOf } = await launchWithExtension(world, dir);
    try {
      chromiumVersion = ctx.browser()?.version() ?? chromiumVersion;
      hundred.push(await hundredOnce(ctx, sw, tabIdOf, run, 'cold'));
      hundred.push(await hundredOnce(ctx, sw, tabIdOf, run, 'warm'));
      if (run === 1) {
        // (b) No badges, in the first browser.
        for (let i = 1; i <= PLAIN_RUNS; i++) {
          const page = await ctx.newPage();
          await page.goto(world.pages.plain, { waitUntil: 'load' });
          await sleep(1500); // the scan and any observer work after load
          const tabId = await tabIdOf(page);
          const stats = await statsOf(sw, tabId);
          const marks = await page.evaluate(() => document.querySelectorAll('qlabel-mark').length);
          plain.push({ run: i, scriptMs: stats ? round(stats.scriptMs) : null, found: stats?.found ?? null, marks });
          await page.close();
        }
      }
    } finally {
      await ctx.close().catch(() => {});
    }
  }

  const cold = hundred.filter((r) => r.kind === 'cold').map((r) => r.ms);
  const warm = hundred.filter((r) => r.kind === 'warm').map((r) => r.ms);
  const range = (xs) => `${round(Math.min(...xs))}–${round(Math.max(...xs))}`;
  const result = {
    at: new Date().toISOString(),
    chromium: chromiumVersion,
    loadAverage: os.loadavg(),
    hundred: {
      runs: hundred,
      coldMedianMs: median(cold),
      coldRange: range(cold),
      warmMedianMs: median(warm),
      warmRange: range(warm),
      cached: hundred.filter((r) => r.kind === 'warm').every((r) => r.credentialsFetched === 0) ? 'warm runs fetched no credential (results cached)' : 'warm runs fetched credentials again',
    },
    plain: { runs: plain, medianScriptMs: median(plain.map((r) => r.scriptMs)), range: range(plain.map((r) => r.scriptMs)) },
  };

  const fmt = (x) => (x === null ? 'n/a' : `${round(x)}`);
  console.log('| measure | runs | cold median (min–max) | warm median (min–max) | notes |');
  console.log('| --- | ---: | ---: | ---: | --- |');
  console.log(
    `| 100 badge links: navigation start → last mark painted (ms) | ${RUNS} + ${RUNS} | ${fmt(result.hundred.coldMedianMs)} (${result.hundred.coldRange}) | ${fmt(result.hundred.warmMedianMs)} (${result.hundred.warmRange}) | credentials fetched per run: ${hundred.map((r) => r.credentialsFetched).join(', ')}; ${result.hundred.cached}; measured by ${[...new Set(hundred.map((r) => r.measuredBy))].join('/')} |`,
  );
  console.log(
    `| no badges: content script main-thread time (ms) | ${plain.length} | ${fmt(result.plain.medianScriptMs)} (${result.plain.range}) | | marks: ${plain.map((r) => r.marks).join(', ')} |`,
  );
  console.log();
  console.log(JSON.stringify(result, null, 2));
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n');
} finally {
  await world.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}

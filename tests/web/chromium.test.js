// qlabel-wasm in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core): the package and a test page served from 127.0.0.1, the package
// imported as an ES module, every case of the verdict parity plan replayed with the
// browser's own fetch (the fixture web answered through Playwright's routing), and
// fetch faults — a server that never answers, one that does not allow CORS, a 404.

import test, { after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import {
  pkgDir,
  loadPlan,
  optionsOf,
  publicExpectation,
  httpAnswers,
  differences,
  artifacts,
  chromiumPath,
  badgeWithStatus,
  statusList,
} from './support.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const AT = '2026-06-01T00:00:00Z';
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.d.ts': 'text/plain',
  '.md': 'text/plain',
};

const cases = loadPlan();
if (!fs.existsSync(chromiumPath)) {
  throw new Error(`Chromium is not at ${chromiumPath}: apt-get install -y chromium chromium-driver`);
}

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)));
}

/** Closes a server and every connection it holds (the stalled ones too). */
function closeAll(server, sockets) {
  for (const s of sockets) s.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

function track(server) {
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

// Server A: the test page at / and the package at /pkg/.
const site = http.createServer((req, res) => {
  const { pathname } = new URL(req.url, 'http://localhost');
  const [dir, rel] = pathname.startsWith('/pkg/')
    ? [pkgDir, pathname.slice(5)]
    : [path.join(here, 'page'), pathname === '/' ? 'index.html' : pathname.slice(1)];
  const file = path.join(dir, decodeURIComponent(rel));
  if (!file.startsWith(dir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404).end('not found');
    return;
  }
  const ext = file.endsWith('.d.ts') ? '.d.ts' : path.extname(file);
  res.writeHead(200, { 'content-type': TYPES[ext] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  fs.createReadStream(file).pipe(res);
});
const siteSockets = track(site);
const siteOrigin = await listen(site);

// Server B, another origin: documents with and without CORS headers, one path that never
// answers, and 404 (with CORS headers, so that the page may read the status).
const faultDocs = new Map();
const stalled = [];
const faults = http.createServer((req, res) => {
  const { pathname } = new URL(req.url, 'http://localhost');
  if (pathname.startsWith('/stall/')) {
    stalled.push(pathname);
    return; // never answers
  }
  const doc = faultDocs.get(pathname);
  if (pathname.startsWith('/nocors/') && doc) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(doc);
  } else if (pathname.startsWith('/cors/') && doc) {
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' }).end(doc);
  } else {
    res.writeHead(404, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' }).end('not found');
  }
});
const faultSockets = track(faults);
const faultOrigin = await listen(faults);

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qlabel-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: chromiumPath,
  headless: true,
  args: [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
  viewport: { width: 1400, height: 900 },
});
after(async () => {
  await context.close().catch(() => {});
  await closeAll(site, siteSockets);
  await closeAll(faults, faultSockets);
  fs.rmSync(userDataDir, { recursive: true, force: true });
});

const page = context.pages()[0] ?? (await context.newPage());
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(String(e)));

// Every request that is not for the two local servers is the fixture web's: answered
// from the current case's recorded web, as a public host would (CORS allowed).
let current = { answers: new Map(), requested: [], unexpected: [] };
await page.route('**/*', async (route) => {
  const request = route.request();
  const url = request.url();
  if (url.startsWith(`${siteOrigin}/`) || url.startsWith(`${faultOrigin}/`)) return route.continue();
  if (request.method() === 'OPTIONS') {
    return route.fulfill({
      status: 204,
      headers: { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'GET' },
    });
  }
  current.requested.push(url);
  const a = current.answers.get(url);
  if (!a) {
    current.unexpected.push(url);
    return route.fulfill({ status: 404, headers: { 'access-control-allow-origin': '*' }, body: 'not in the plan' });
  }
  if (a.error) return route.abort('failed');
  return route.fulfill({ status: a.status, headers: a.headers, body: Buffer.from(a.body) });
});

await page.goto(`${siteOrigin}/`);

test('the page imports qlabel-wasm as an ES module and loads the wasm as application/wasm', async () => {
  const wasm = page.waitForResponse((r) => r.url().endsWith('/pkg/qlabel_wasm_bg.wasm'), { timeout: 10000 }).catch(() => null);
  await page.reload();
  assert.equal(await page.evaluate(() => window.qlabel.ready), true);
  const response = await wasm;
  assert.ok(response, 'the page did not load qlabel_wasm_bg.wasm');
  assert.equal(response.headers()['content-type'], 'application/wasm');
  assert.equal(await page.evaluate(() => window.qlabel.rdfcLoaded()), false);
  assert.deepEqual(pageErrors, []);
});

test(`all ${cases.length} plan cases get native's verdict with the browser's fetch`, async () => {
  const mismatches = [];
  let routed = 0;
  for (const c of cases) {
    const { web, native } = publicExpectation(c);
    current = { answers: httpAnswers(web), requested: [], unexpected: [] };
    const outcome = await page.evaluate(([input, options]) => window.qlabel.replay(input, options), [c.input, optionsOf(c)]);
    const d = differences(c, native, outcome);
    if (current.unexpected.length) d.push(`the browser fetched what native did not: ${current.unexpected.join(', ')}`);
    const skipped = web.filter((w) => !w.answer.error && !current.requested.includes(w.url)).map((w) => w.url);
    if (skipped.length) d.push(`native fetched what the browser did not: ${skipped.join(', ')}`);
    routed += current.requested.length;
    for (const url of c.policy?.refused ?? []) {
      if (current.requested.includes(url)) d.push(`the browser fetched ${url}, which real fetchers refuse`);
    }
    const verdict = native.error ? `error ${native.error}` : native.badge;
    await page.evaluate(([name, ok, detail]) => window.qlabel.showCase(name, ok, detail), [c.name, d.length === 0, verdict]);
    if (d.length) mismatches.push(`${c.name}\n    ${d.join('\n    ')}`);
  }
  console.log(`# chromium: ${cases.length} cases replayed through verify() with the browser's fetch (${routed} requests answered from the plan), ${mismatches.length} mismatches`);
  assert.ok(routed > 100, `only ${routed} requests reached the fixture web`);
  assert.equal(mismatches.length, 0, `${mismatches.length} of ${cases.length} cases differ from native:\n${mismatches.join('\n')}`);
  assert.deepEqual(pageErrors, []);
});

/** Verifies in the page; returns the outcome, the status check and shows the fault. */
async function verifyFault(what, text, options, want, pattern) {
  const o = await page.evaluate(([t, opts]) => window.qlabel.verifyText(t, opts), [text, { at: AT, ...options }]);
  assert.ok(o.report, `${what}: verify() rejected: ${o.error} ${o.message}`);
  const checks = o.report.badge.checks;
  const named = checks.find((c) => (pattern ? pattern.test(c.message) : c.id === 'status'));
  const ok = o.report.badge.status === want && (want === 'valid' || Boolean(named?.unverifiable));
  await page.evaluate(([w, s, m, k]) => window.qlabel.showFault(w, s, m, k), [
    what,
    o.report.badge.status,
    (named ?? checks.find((c) => c.unverifiable) ?? checks.find((c) => c.id === 'status') ?? {}).message ?? '',
    ok,
  ]);
  assert.equal(o.report.badge.status, want, `${what}: ${JSON.stringify(checks)}`);
  return { ...o, named, checks };
}

test('timeout: a status list whose server never answers (timeout 500 ms)', async () => {
  const list = `${faultOrigin}/stall/status.json`;
  const badge = JSON.stringify(badgeWithStatus(list));
  const o = await verifyFault('timeout (server never answers, timeout: 500)', badge, { timeout: 500 }, 'unverifiable', /did not answer within/);
  assert.ok(o.named, `no check names the timeout: ${JSON.stringify(o.checks)}`);
  assert.equal(o.named.id, 'status');
  assert.ok(o.named.message.includes(list), o.named.message);
  assert.ok(stalled.includes('/stall/status.json'), 'the request never reached the server');
  assert.ok(o.ms < 5000, `took ${o.ms} ms with a 500 ms timeout`);
});

test('CORS: the same status list from another origin, with and without access-control-allow-origin', async () => {
  for (const kind of ['cors', 'nocors']) {
    const url = `${faultOrigin}/${kind}/status.json`;
    faultDocs.set(`/${kind}/status.json`, JSON.stringify(statusList(url, [3])));
  }
  // With the header the browser lets the page read it: the badge verifies.
  const allowed = await verifyFault(
    'status list served with access-control-allow-origin',
    JSON.stringify(badgeWithStatus(`${faultOrigin}/cors/status.json`)),
    {},
    'valid',
    null,
  );
  assert.equal(allowed.checks.find((c) => c.id === 'status').status, 'pass');
  // Without it the browser blocks the response: unverifiable, and the check says CORS.
  const url = `${faultOrigin}/nocors/status.json`;
  const o = await verifyFault('CORS refusal (no access-control-allow-origin)', JSON.stringify(badgeWithStatus(url)), {}, 'unverifiable', /CORS/);
  assert.ok(o.named, `no check names CORS: ${JSON.stringify(o.checks)}`);
  assert.equal(o.named.id, 'status');
  assert.ok(o.named.message.includes(url), o.named.message);
});

test('404: a status list and a hosted assertion that are not there', async () => {
  const list = `${faultOrigin}/missing/status.json`;
  const o = await verifyFault('404 (status list)', JSON.stringify(badgeWithStatus(list)), {}, 'unverifiable', /answered HTTP 404/);
  assert.ok(o.named, `no check names the 404: ${JSON.stringify(o.checks)}`);
  assert.equal(o.named.id, 'status');
  const hosted = `${faultOrigin}/assertions/42`;
  const h = await verifyFault('404 (OB 2.0 hosted assertion URL)', hosted, {}, 'unverifiable', /answered HTTP 404/);
  assert.ok(h.named, `no check names the 404: ${JSON.stringify(h.checks)}`);
  assert.ok(h.named.message.includes(hosted), h.named.message);
  assert.deepEqual(h.report.input.fetched.map((f) => f.url), [hosted]);
});

test('the page shows the results (screenshot in target/test-artifacts/)', async () => {
  const summary = await page.textContent('#summary');
  assert.match(summary, new RegExp(`^${cases.length} vector cases replayed`), summary);
  assert.match(summary, / 0 different$/, summary);
  fs.mkdirSync(artifacts, { recursive: true });
  const file = path.join(artifacts, 'qlabel-wasm-chromium.png');
  await page.screenshot({ path: file, fullPage: true });
  assert.ok(fs.statSync(file).size > 10000, `${file} is suspiciously small`);
  console.log(`# screenshot: ${file}`);
});

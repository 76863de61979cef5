// The website (dist/www) served by `qlabel demo`, in headless Chromium: every page loads
// without a console error and without a serious or critical axe-core violation; the
// verify page judges a dropped baked PNG, a URL and pasted JSON as the demo world says;
// the registry page lists the demo authority's holders and its search finds one; the
// self-assessment runs; the languages switch. Screenshots in target/test-artifacts/www/.
//
// The demo world's expectations (world.json) come from how `qlabel demo` builds it, and
// crates/cli/tests/demo.rs checks them against native `qlabel verify`.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { root, qlabelBin, chromiumPath, chromiumArgs } from './widget-world.js';

const dist = path.join(root, 'dist');
const shots = path.join(root, 'target/test-artifacts/www');
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const built = fs.existsSync(path.join(dist, 'www/index.html'));
const skip = built ? false : process.env.CI ? false : 'dist/www is not built (cargo xtask dist)';

let demo;
let origin;
let world;
let dir;
let browser;

before(async () => {
  if (skip) return;
  if (!built) throw new Error('dist/www is not built: run `cargo xtask dist`');
  fs.mkdirSync(shots, { recursive: true });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qlabel-www-'));
  fs.rmSync(dir, { recursive: true, force: true });
  demo = spawn(qlabelBin, ['demo', '--port', '0', '--dir', dir, '--dist', dist], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  demo.stdout.on('data', (d) => (out += d));
  demo.stderr.on('data', (d) => (err += d));
  const end = Date.now() + 60000;
  while (!/^\s+extension\s/m.test(out)) {
    if (demo.exitCode !== null || Date.now() > end) throw new Error(`qlabel demo did not start:\n${err}\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  origin = /qlabel demo: (http:\/\/127\.0\.0\.1:\d+)\//.exec(out)[1];
  world = JSON.parse(fs.readFileSync(path.join(dir, 'world.json'), 'utf8'));
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  demo?.kill('SIGTERM');
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const badge = (slug) => {
  const b = world.badges.find((x) => x.slug === slug);
  assert.ok(b, `the demo world has ${slug}`);
  return b;
};

/**
 * A page with its console errors collected. A 404 for a label shard is not an error: an
 * issuer without a label has no shard, and the verifier then reads the whole registry.
 */
async function open(url, { width = 1100, height = 900, lang } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale: lang ?? 'en-GB' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const where = m.location()?.url ?? '';
    if (/Failed to load resource/.test(m.text()) && /\/authority\/shards\//.test(where)) return;
    errors.push(`${m.text()} (${where})`);
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('html[data-ready="true"]', { timeout: 20000 });
  return { page, context, errors };
}

async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

const PAGES = ['index.html', 'verify.html', 'registry.html', 'standard.html', 'embed.html', 'extension.html'];

for (const name of PAGES) {
  test(`${name}: loads with no console error and no serious or critical axe violation`, { skip, timeout: 60000 }, async () => {
    const { page, context, errors } = await open(`${origin}/${name}`);
    try {
      if (name === 'registry.html') await page.waitForSelector('body[data-registry-state="done"]', { timeout: 20000 });
      if (name === 'embed.html') {
        // The live examples run against the demo world.
        await page.waitForFunction(() => [...document.querySelectorAll('qlabel-badge, qlabel-seal')].length > 0 && [...document.querySelectorAll('qlabel-badge, qlabel-seal')].every((e) => e.getAttribute('status') && e.getAttribute('status') !== 'loading'), null, { timeout: 30000 });
        const statuses = await page.evaluate(() => [...document.querySelectorAll('qlabel-badge, qlabel-seal')].map((e) => `${e.localName} ${e.getAttribute('status')}`));
        assert.deepEqual(statuses.sort(), ['qlabel-badge labelled', 'qlabel-seal labelled']);
      }
      assert.deepEqual(await axe(page), [], 'axe-core: serious or critical violations');
      await page.screenshot({ path: path.join(shots, name.replace('.html', '.png')), fullPage: true });
      assert.deepEqual(errors, [], 'console errors');
    } finally {
      await context.close();
    }
  });
}

test('the demo issuer site and profile page load; the issuer site\'s widgets reach the world\'s states', { skip, timeout: 60000 }, async () => {
  for (const p of ['issuer/', 'profile/']) {
    const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const res = await page.goto(`${origin}/${p}`, { waitUntil: 'load' });
    assert.equal(res.status(), 200);
    if (p === 'issuer/') {
      await page.waitForFunction(() => [...document.querySelectorAll('qlabel-badge')].every((e) => e.getAttribute('status') && e.getAttribute('status') !== 'loading'), null, { timeout: 30000 });
      const got = await page.evaluate(() => [...document.querySelectorAll('qlabel-badge')].map((e) => [e.getAttribute('src'), e.getAttribute('status')]));
      for (const [src, status] of got) {
        const b = world.badges.find((x) => new URL(x.url).pathname === new URL(src, 'http://x/').pathname);
        assert.ok(b, `a badge of the world: ${src}`);
        const expected = b.expect.badge === 'valid' ? b.expect.label : b.expect.badge;
        assert.equal(status, expected, `${b.slug} on the issuer site`);
      }
      assert.ok(got.length >= 10, 'the issuer site shows the world\'s badges');
    }
    await page.screenshot({ path: path.join(shots, `demo-${p.replace('/', '')}.png`), fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  }
});

/** Waits for the verify page's verdict; returns its data attributes. */
async function verdict(page) {
  await page.waitForSelector('#result[data-state="done"], #result[data-state="error"]', { timeout: 30000 });
  return page.evaluate(() => {
    const r = document.getElementById('result');
    return { state: r.dataset.state, badge: r.dataset.badgeStatus, label: r.dataset.labelStatus, error: r.dataset.error };
  });
}

test('verify: a baked PNG dropped on the page is judged as the world says', { skip, timeout: 60000 }, async () => {
  const { page, context, errors } = await open(`${origin}/verify.html`);
  try {
    const b = badge('baked-png');
    const bytes = fs.readFileSync(path.join(dir, new URL(b.url).pathname));
    // A real drop: a DataTransfer holding the file, dispatched on the drop zone.
    const transfer = await page.evaluateHandle((data) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], 'baked-badge.png', { type: 'image/png' }));
      return dt;
    }, [...bytes]);
    await page.dispatchEvent('#drop-zone', 'dragenter', { dataTransfer: transfer });
    await page.dispatchEvent('#drop-zone', 'dragover', { dataTransfer: transfer });
    await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer: transfer });
    const v = await verdict(page);
    assert.deepEqual([v.badge, v.label], [b.expect.badge, b.expect.label], JSON.stringify(v));
    // The widget's detail view shows the result too.
    const widgetStatus = await page.locator('#result-view').getAttribute('status');
    assert.equal(widgetStatus, b.expect.label);
    await page.screenshot({ path: path.join(shots, 'verify-dropped-png.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('verify: badges by URL (the form and ?url=) and pasted JSON are judged as the world says', { skip, timeout: 90000 }, async () => {
  const cases = [
    // [how, slug]
    ['url', 'ob2-signed'],
    ['query', 'ob3-rdfc'],
    ['query', 'ob3-jwt'],
    ['query', 'revoked'],
    ['query', 'lapsed'],
    ['paste', 'tampered'],
    ['paste', 'withdrawn'],
    ['paste', 'unlabelled'],
  ];
  for (const [how, slug] of cases) {
    const b = badge(slug);
    const url = how === 'query' ? `${origin}/verify.html?url=${encodeURIComponent(b.url)}` : `${origin}/verify.html`;
    const { page, context, errors } = await open(url);
    try {
      if (how === 'url') {
        await page.fill('#url-input', b.url);
        await page.click('#verify-button');
      } else if (how === 'paste') {
        const text = fs.readFileSync(path.join(dir, new URL(b.url).pathname), 'utf8');
        await page.fill('#paste-input', text);
        await page.click('#verify-button');
      }
      const v = await verdict(page);
      assert.deepEqual([v.badge, v.label], [b.expect.badge, b.expect.label], `${slug} (${how}): ${JSON.stringify(v)}`);
      // Every check is listed, as text.
      const checks = await page.locator('ul.checks li[data-check]').count();
      assert.ok(checks >= 3, `${slug}: the checks are listed`);
      if (slug === 'tampered') await page.screenshot({ path: path.join(shots, 'verify-pasted-tampered.png'), fullPage: true });
      if (slug === 'ob3-rdfc') await page.screenshot({ path: path.join(shots, 'verify-url-labelled.png'), fullPage: true });
      assert.deepEqual(errors, [], `${slug}: console errors`);
    } finally {
      await context.close();
    }
  }
});

test('verify: something that is not a badge is an error in words, not a verdict', { skip, timeout: 30000 }, async () => {
  const { page, context } = await open(`${origin}/verify.html`);
  try {
    await page.fill('#paste-input', '{"hello": "<img src=x onerror=alert(1)>"}');
    await page.click('#verify-button');
    const v = await verdict(page);
    assert.notEqual(v.badge, 'valid');
    assert.equal(await page.locator('#result img[src="x"]').count(), 0, 'nothing pasted became HTML');
  } finally {
    await context.close();
  }
});

test('registry: every holder of the demo registry, with its status; the search finds one', { skip, timeout: 60000 }, async () => {
  const { page, context } = await open(`${origin}/registry.html`);
  try {
    await page.waitForSelector('body[data-registry-state="done"]', { timeout: 20000 });
    const all = await page.evaluate(() => [...document.querySelectorAll('#holders > li[data-holder-id]')].map((li) => ({ id: li.dataset.holderId, status: li.dataset.status, text: li.textContent })));
    const names = (s) => all.filter((h) => h.status === s).map((h) => h.text);
    assert.equal(all.length, 4, JSON.stringify(all));
    assert.ok(names('active').some((t) => t.includes('Active Youth Centre')), 'the active issuer holds an active label');
    assert.ok(names('expired').some((t) => t.includes('Lapsed Learning Lab')), 'the lapsed issuer\'s label expired');
    assert.ok(names('withdrawn').some((t) => t.includes('Withdrawn Workshop')), 'the withdrawn issuer');
    assert.ok(!all.some((h) => h.text.includes('Unlabelled Union')), 'an issuer without a label is not listed');
    await page.fill('#search', 'lapsed');
    const visible = await page.evaluate(() => [...document.querySelectorAll('#holders > li[data-holder-id]')].filter((li) => !li.hidden).map((li) => li.textContent));
    assert.equal(visible.length, 1, JSON.stringify(visible));
    assert.match(visible[0], /Lapsed Learning Lab/);
    await page.screenshot({ path: path.join(shots, 'registry-search.png'), fullPage: true });
  } finally {
    await context.close();
  }
});

test('standard: the self-assessment assesses a pasted badge; ticking a criterion counts', { skip, timeout: 60000 }, async () => {
  const { page, context, errors } = await open(`${origin}/standard.html`);
  try {
    await page.fill('#assess-input', fs.readFileSync(path.join(root, 'samples/assess-poor.json'), 'utf8'));
    await page.click('#assess-button');
    await page.waitForSelector('#assess-summary[data-state="done"]', { timeout: 20000 });
    const results = await page.evaluate(() => [...document.querySelectorAll('#assess-results li[data-criterion]')].map((li) => li.dataset.status));
    assert.ok(results.length > 3 && results.every((s) => s !== 'pending'), JSON.stringify(results));
    assert.ok(results.includes('fail'), 'the poor sample fails something');
    const before = Number(await page.getAttribute('#assess-summary', 'data-met'));
    await page.locator('#human-criteria input[type=checkbox]').first().check();
    await page.waitForFunction((n) => Number(document.getElementById('assess-summary').dataset.met) === n + 1, before, { timeout: 5000 });
    await page.screenshot({ path: path.join(shots, 'standard-assessed.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('languages: ?lang=sl and the language menu translate the site; Serbian in both scripts', { skip, timeout: 60000 }, async () => {
  const en = await open(`${origin}/index.html?lang=en`);
  const enTitle = await en.page.locator('h1').first().textContent();
  await en.context.close();
  for (const lang of ['sl', 'nl', 'sr-Cyrl']) {
    const { page, context, errors } = await open(`${origin}/index.html?lang=${lang}`);
    try {
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      const title = await page.locator('h1').first().textContent();
      assert.notEqual(title, enTitle, `${lang}: the heading is translated`);
      if (lang === 'sr-Cyrl') assert.match(title, /[\u0400-\u04FF]/, 'Cyrillic');
      assert.deepEqual(await axe(page), [], `${lang}: axe`);
      await page.screenshot({ path: path.join(shots, `index-${lang}.png`), fullPage: true });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
  // The menu: choosing Italiano reloads the page in Italian.
  const { page, context } = await open(`${origin}/verify.html?lang=en`);
  try {
    await Promise.all([page.waitForURL(/lang=it/), page.selectOption('#lang-menu', 'it')]);
    await page.waitForSelector('html[data-ready="true"]');
    assert.equal(await page.getAttribute('html', 'lang'), 'it');
  } finally {
    await context.close();
  }
});

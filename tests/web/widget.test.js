// The embeddable widget (issue #6, item 8) in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core): the built widget (dist/widget/) on pages served from
// 127.0.0.1 by widget-world.js, with badges and seals in every state made with the qlabel
// CLI. Each element must reach its exact `status` and fire `qlabel-status` with the report;
// the detail panel opens with Enter and with a click, keeps focus, closes with Escape and
// with its close button, and gives focus back to the seal; axe-core finds no serious or
// critical violation in any state, light and dark (the `theme` attribute and emulated
// prefers-color-scheme), panel closed and open; a hostile badge stays text. Screenshots
// of every state go to target/test-artifacts/widget/.

import test, { after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import {
  root,
  widgetDir,
  widgetScript,
  chromiumPath,
  chromiumArgs,
  BROWSER_NOW,
  XSS_NAME,
  XSS_ISSUER,
  XSS_BADGES,
  startWorld,
  nativeVerdicts,
  widgetStatus,
} from './widget-world.js';

// Nothing is skipped: without the widget or the browser, this file fails.
if (!fs.existsSync(widgetScript)) {
  throw new Error(`the widget is not built at ${widgetScript}: run \`cargo xtask dist\` (or \`cargo xtask test\`)`);
}
if (!fs.existsSync(chromiumPath)) {
  throw new Error(`Chromium is not at ${chromiumPath}: apt-get install -y chromium chromium-driver`);
}

let axePath;
try {
  axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
} catch {
  throw new Error('axe-core is not installed in tests/web/node_modules: run `npm ci` in tests/web');
}
const axeSource = fs.readFileSync(axePath, 'utf8');
const shots = path.join(root, 'target/test-artifacts/widget');
fs.rmSync(shots, { recursive: true, force: true });
fs.mkdirSync(shots, { recursive: true });

const FINAL_TIMEOUT = 15000;
/** light: theme="light"; dark: theme="dark"; auto-dark: theme="auto" under prefers-color-scheme: dark. */
const THEMES = [
  { name: 'light', attr: 'light', scheme: 'light' },
  { name: 'dark', attr: 'dark', scheme: 'light' },
  { name: 'auto-dark', attr: 'auto', scheme: 'dark' },
];

const server = await startWorld();
const { world, origin, altOrigin } = server;

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qlabel-widget-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: chromiumPath,
  headless: true,
  args: chromiumArgs,
  viewport: { width: 1000, height: 700 },
});
after(async () => {
  await context.close().catch(() => {});
  await server.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
});
// The world's dates hold at BROWSER_NOW, whatever today is.
await context.clock.setFixedTime(new Date(BROWSER_NOW));
await context.addInitScript(() => {
  // Every value each element's status attribute takes, in order (a false `labelled` on
  // the way to the final status counts too).
  window.__qlabelHistory = new Map();
  new MutationObserver((records) => {
    for (const r of records) {
      const h = window.__qlabelHistory.get(r.target) ?? [];
      h.push(r.target.getAttribute('status'));
      window.__qlabelHistory.set(r.target, h);
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['status'] });
  // Every qlabel-status event that reaches the document, as JSON.
  window.__qlabelEvents = [];
  document.addEventListener('qlabel-status', (e) => {
    let detail;
    try {
      detail = JSON.parse(JSON.stringify(e.detail));
    } catch {
      detail = `unserializable: ${String(e.detail)}`;
    }
    window.__qlabelEvents.push({
      tag: e.target?.localName,
      id: e.target?.id || null,
      custom: e instanceof CustomEvent,
      bubbles: e.bubbles,
      composed: e.composed,
      status: e.target?.getAttribute?.('status') ?? null,
      detail,
    });
  });
});

const page = context.pages()[0] ?? (await context.newPage());
const pageErrors = [];
const dialogs = [];
page.on('pageerror', (e) => pageErrors.push(String(e)));
page.on('dialog', (d) => {
  dialogs.push(`${d.type()}: ${d.message()}`);
  d.dismiss().catch(() => {});
});

const urlOf = (s, theme) => `${s.alt ? altOrigin : origin}/pages/${s.name}.html${theme ? `?theme=${theme}` : ''}`;

/** Waits until every qlabel element on the page has a final status; returns them. */
async function settle(selector = 'qlabel-badge, qlabel-seal') {
  try {
    await page.waitForFunction(
      (sel) => {
        const els = [...document.querySelectorAll(sel)];
        return els.length > 0 && els.every((e) => e.getAttribute('status') && e.getAttribute('status') !== 'loading');
      },
      selector,
      { timeout: FINAL_TIMEOUT, polling: 50 },
    );
  } catch {
    // Fall through: the statuses are returned as they are, and the assertion says which.
  }
  return page.evaluate((sel) => [...document.querySelectorAll(sel)].map((e) => e.getAttribute('status')), selector);
}

/** Opens a state's page in a theme and waits for the element's final status. */
async function open(s, theme) {
  pageErrors.length = 0;
  await page.emulateMedia({ colorScheme: theme.scheme, reducedMotion: 'no-preference' });
  await page.goto(urlOf(s, theme.attr));
  const [status] = await settle(s.tag);
  return status;
}

/** The violations of impact serious or critical axe-core finds in the whole document. */
async function axe() {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary?.replace(/\s+/g, ' ') })),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ ...v, nodes: v.nodes.map((n) => `${JSON.stringify(n.target)}: ${n.summary}`) }));
}

const host = (tag, id) => page.locator(id ? `${tag}#${id}` : tag).first();
/** The seal: the element's visible button (Playwright's CSS pierces open shadow roots). */
const sealOf = (el) => el.locator('button:visible').first();
const dialogOf = (el) => el.getByRole('dialog');

/** Where focus is: the deepest active element, and whether it is in `el`'s dialog or is `seal`. */
function focus(el, seal) {
  return el.evaluate((h, s) => {
    let a = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    const dialogs = [...(h.shadowRoot?.querySelectorAll('[role="dialog"], dialog') ?? [])].filter(
      (d) => d.checkVisibility?.() ?? d.getClientRects().length > 0,
    );
    return {
      inDialog: dialogs.some((d) => d.contains(a)),
      isSeal: a === s,
      what: a ? `${a.localName}${a.id ? `#${a.id}` : ''} "${(a.getAttribute('aria-label') ?? a.textContent ?? '').trim().slice(0, 40)}"` : 'nothing',
    };
  }, seal);
}

/** Waits for the element's finite animations (the panel's fade-in) to end: axe measures
 * colours as they are painted, and a half-faded panel is not what a reader sees. */
async function quiet(el) {
  await el.evaluate(async (h) => {
    const running = (h.shadowRoot?.getAnimations?.() ?? []).filter((a) => a.effect?.getComputedTiming?.().iterations !== Infinity);
    await Promise.race([Promise.all(running.map((a) => a.finished.catch(() => {}))), new Promise((r) => setTimeout(r, 2000))]);
  });
}

async function shot(name) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true, animations: 'disabled' });
}

/** Every link (a/area href) in every shadow root of the page, and the elements with event handler attributes. */
function shadowLinks() {
  return page.evaluate(() => {
    const links = [];
    const handlers = [];
    const visit = (rootNode) => {
      for (const e of rootNode.querySelectorAll('*')) {
        if (rootNode !== document) {
          if ((e.localName === 'a' || e.localName === 'area') && e.hasAttribute('href')) links.push(e.getAttribute('href'));
          for (const attr of e.getAttributeNames()) if (/^on/i.test(attr)) handlers.push(`${e.localName}[${attr}]`);
          if (e.localName === 'img' && e.getAttribute('src') === 'x') handlers.push('img[src=x]');
        }
        if (e.shadowRoot) visit(e.shadowRoot);
      }
    };
    visit(document);
    return { links, handlers };
  });
}

// ---------------------------------------------------------------------------------

test('the world: native qlabel gives every badge of the test world the status its page expects', async () => {
  const native = await nativeVerdicts(world);
  const wrong = world.states
    .filter((s) => s.kind === 'badge' && native[s.name].status !== s.expect)
    .map((s) => `${s.name}: expected ${s.expect}, native qlabel says ${native[s.name].status}`);
  assert.deepEqual(wrong, []);
});

test('the widget loads from /widget/qlabel-widget.js, its wasm served as application/wasm', async () => {
  const wasm = [];
  const onResponse = (r) => {
    if (r.url().endsWith('.wasm')) wasm.push({ url: r.url(), type: r.headers()['content-type'], status: r.status() });
  };
  page.on('response', onResponse);
  try {
    const status = await open(world.states[0], THEMES[0]);
    assert.ok(status, 'the element has no status');
  } finally {
    page.off('response', onResponse);
  }
  assert.ok(wasm.length > 0, 'the page loaded no wasm');
  for (const w of wasm) {
    assert.equal(w.status, 200, `${w.url}: HTTP ${w.status}`);
    assert.equal(w.type, 'application/wasm', w.url);
  }
  assert.ok(
    wasm.some((w) => new URL(w.url).pathname.startsWith('/widget/')),
    `no wasm from /widget/ (${wasm.map((w) => w.url).join(', ')}); dist: ${widgetDir}`,
  );
  assert.deepEqual(pageErrors, []);
});

// Every state, in each theme: the exact status, the event, axe (panel closed and open),
// screenshots.
for (const s of world.states) {
  for (const theme of THEMES) {
    test(`${s.name} (${theme.name}): status "${s.expect}", qlabel-status, axe clean closed and open`, async () => {
      const status = await open(s, theme);
      assert.equal(status, s.expect, `${s.name}: the ${s.tag} says "${status}", expected "${s.expect}" (${urlOf(s, theme.attr)})`);
      const history = await host(s.tag).evaluate((h) => window.__qlabelHistory.get(h) ?? []);
      assert.equal(history[0], 'loading', `the status went ${history.join(' → ')}: not loading first`);
      if (s.expect !== 'labelled') assert.ok(!history.includes('labelled'), `a false "labelled" on the way: ${history.join(' → ')}`);
      // The status is announced politely.
      const live = await host(s.tag).evaluate((h) =>
        [...(h.shadowRoot?.querySelectorAll('[aria-live="polite"], [role="status"]') ?? [])].map((e) => e.textContent.trim()).filter(Boolean),
      );
      assert.ok(live.length > 0, 'no polite live region (aria-live="polite" or role="status") says the status');

      // The event: a CustomEvent that bubbles out of the shadow root, with the report.
      await page.waitForFunction(() => window.__qlabelEvents.length > 0, null, { timeout: 2000 }).catch(() => {});
      const events = await page.evaluate(() => window.__qlabelEvents);
      assert.ok(events.length > 0, 'no qlabel-status event reached the document');
      const e = events.at(-1);
      assert.equal(e.tag, s.tag);
      assert.equal(e.custom, true, 'not a CustomEvent');
      assert.equal(e.bubbles, true, 'the event does not bubble');
      assert.equal(e.composed, true, 'the event is not composed');
      assert.equal(typeof e.detail, 'object', `detail: ${e.detail}`);
      assert.ok(e.detail !== null, 'detail is null');
      if (s.kind === 'badge') {
        assert.equal(e.detail.schema, 'qlabel-report/1', JSON.stringify(e.detail).slice(0, 300));
        assert.equal(widgetStatus(e.detail), s.expect, `the report says badge ${e.detail.badge?.status}, label ${e.detail.label?.status}`);
      } else {
        const label = e.detail.label ?? e.detail;
        assert.equal(typeof label.status, 'string', `no label status in the seal's report: ${JSON.stringify(e.detail).slice(0, 300)}`);
        if (s.expect !== 'copied') assert.equal(label.status, s.expect);
      }

      const el = host(s.tag);
      await quiet(el);
      const closed = await axe();
      await shot(`${s.name}-${theme.name}-closed`);
      const seal = sealOf(el);
      await seal.click();
      await dialogOf(el).waitFor({ state: 'visible', timeout: 5000 });
      await quiet(el);
      const opened = await axe();
      await shot(`${s.name}-${theme.name}-open`);
      const problems = [...closed.map((v) => ['closed', v]), ...opened.map((v) => ['open', v])].map(
        ([when, v]) => `panel ${when}: ${v.impact} ${v.id} (${v.help})\n      ${v.nodes.join('\n      ')}`,
      );
      assert.deepEqual(problems, [], `axe: ${problems.length} serious or critical violations in ${s.name} (${theme.name}):\n${problems.join('\n')}`);
      assert.deepEqual(pageErrors, []);
    });
  }
}

test('keyboard: Enter opens the panel, focus goes in and stays in on Tab and Shift+Tab, Escape closes it and focus returns to the seal', async () => {
  for (const name of ['badge-labelled', 'seal-labelled', 'badge-invalid']) {
    const s = world.states.find((x) => x.name === name);
    await open(s, THEMES[0]);
    const el = host(s.tag);
    const seal = sealOf(el);
    const sealHandle = await seal.elementHandle();
    await seal.focus();
    assert.equal((await focus(el, sealHandle)).isSeal, true, `${name}: the seal does not take focus`);
    await page.keyboard.press('Enter');
    await dialogOf(el).waitFor({ state: 'visible', timeout: 5000 });
    let f = await focus(el, sealHandle);
    assert.equal(f.inDialog, true, `${name}: after Enter, focus is on ${f.what}, not in the dialog`);
    for (const key of [...Array(12).fill('Tab'), ...Array(12).fill('Shift+Tab')]) {
      await page.keyboard.press(key);
      f = await focus(el, sealHandle);
      assert.equal(f.inDialog, true, `${name}: after ${key}, focus left the dialog for ${f.what}`);
    }
    await page.keyboard.press('Escape');
    await dialogOf(el).waitFor({ state: 'hidden', timeout: 5000 });
    f = await focus(el, sealHandle);
    assert.equal(f.isSeal, true, `${name}: after Escape, focus is on ${f.what}, not the seal`);
    // Space works as well as Enter on the seal, a button.
    await page.keyboard.press('Space');
    await dialogOf(el).waitFor({ state: 'visible', timeout: 5000 });
    await page.keyboard.press('Escape');
    await dialogOf(el).waitFor({ state: 'hidden', timeout: 5000 });
    assert.equal((await focus(el, sealHandle)).isSeal, true, `${name}: after Space and Escape, focus is not on the seal`);
    assert.deepEqual(pageErrors, []);
  }
});

test('mouse: a click opens the panel with focus inside; its close button closes it and focus returns to the seal', async () => {
  for (const name of ['badge-labelled', 'seal-labelled', 'seal-copied']) {
    const s = world.states.find((x) => x.name === name);
    await open(s, THEMES[0]);
    const el = host(s.tag);
    const seal = sealOf(el);
    const sealHandle = await seal.elementHandle();
    await seal.click();
    const dialog = dialogOf(el);
    await dialog.waitFor({ state: 'visible', timeout: 5000 });
    let f = await focus(el, sealHandle);
    assert.equal(f.inDialog, true, `${name}: after a click, focus is on ${f.what}, not in the dialog`);
    const close = dialog.getByRole('button', { name: /close/i });
    assert.equal(await close.count(), 1, `${name}: the dialog has ${await close.count()} buttons named "close"`);
    await close.click();
    await dialog.waitFor({ state: 'hidden', timeout: 5000 });
    f = await focus(el, sealHandle);
    assert.equal(f.isSeal, true, `${name}: after the close button, focus is on ${f.what}, not the seal`);
    assert.deepEqual(pageErrors, []);
  }
});

test('the panel shows the badge and every check of the report', async () => {
  const s = world.states.find((x) => x.name === 'badge-labelled');
  await open(s, THEMES[0]);
  const el = host(s.tag);
  await sealOf(el).click();
  const dialog = dialogOf(el);
  await dialog.waitFor({ state: 'visible', timeout: 5000 });
  const text = await dialog.innerText();
  const report = (await page.evaluate(() => window.__qlabelEvents)).at(-1).detail;
  const missing = [report.badge.name, report.badge.issuer.name, report.label.authority.name, ...[...report.badge.checks, ...report.label.checks].map((c) => c.message)]
    .filter((t) => t && !text.includes(t));
  assert.deepEqual(missing, [], `the panel does not show:\n${missing.join('\n')}\n--- panel text:\n${text}`);
});

test('fifty badges on one page: each reaches its status, none falsely labelled', async () => {
  pageErrors.length = 0;
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`${origin}/pages/fifty.html`);
  const statuses = await settle('qlabel-badge');
  assert.equal(statuses.length, 50);
  const wrong = statuses
    .map((got, i) => [i, got, world.fifty[i].expect])
    .filter(([, got, want]) => got !== want)
    .map(([i, got, want]) => `badge ${i + 1}: ${got}, expected ${want}`);
  assert.deepEqual(wrong, []);
  const histories = await page.evaluate(() => [...document.querySelectorAll('qlabel-badge')].map((e) => window.__qlabelHistory.get(e) ?? []));
  const falses = histories
    .map((h, i) => [i, h])
    .filter(([i, h]) => world.fifty[i].expect !== 'labelled' && h.includes('labelled'))
    .map(([i, h]) => `badge ${i + 1}: ${h.join(' → ')}`);
  assert.deepEqual(falses, [], 'a false "labelled" on the way');
  const events = await page.evaluate(() => window.__qlabelEvents.length);
  assert.ok(events >= 50, `only ${events} qlabel-status events for 50 badges`);
  await shot('fifty-light');
  assert.deepEqual(pageErrors, []);
});

test('XSS: a badge named <img src=x onerror=…> with javascript: and data: URLs shows text, makes no link, runs nothing', async () => {
  for (const theme of [THEMES[0], THEMES[1]]) {
    dialogs.length = 0;
    pageErrors.length = 0;
    await page.emulateMedia({ colorScheme: theme.scheme });
    await page.goto(`${origin}/pages/xss.html?theme=${theme.attr}`);
    const statuses = await settle('qlabel-badge');
    assert.deepEqual(statuses, XSS_BADGES.map((b) => b.expect));
    for (const { slug } of XSS_BADGES) {
      const el = host('qlabel-badge', slug);
      await sealOf(el).click();
      const dialog = dialogOf(el);
      await dialog.waitFor({ state: 'visible', timeout: 5000 });
      const text = await dialog.innerText();
      assert.ok(text.includes(XSS_NAME), `${slug}: the panel does not show the name as text:\n${text}`);
      if (slug === 'xss') {
        assert.ok(text.includes(XSS_ISSUER), `${slug}: the panel does not show the issuer's name as text:\n${text}`);
        // The labelled sentence names the holder as the signed registry does, not as the
        // badge calls its issuer.
        assert.ok(
          text.includes('Active Youth Centre holds the Quality Label') && !text.includes(`${XSS_ISSUER} holds`),
          `${slug}: the summary does not name the registry's holder:\n${text}`,
        );
      }
      const { links, handlers } = await shadowLinks();
      const bad = links.filter((h) => /^\s*(javascript|data|vbscript):/i.test(h));
      assert.deepEqual(bad, [], `${slug}: links to ${bad.join(', ')}`);
      assert.deepEqual(handlers, [], `${slug}: elements with event handlers in a shadow root`);
      await shot(`xss-${slug}-${theme.name}-open`);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden', timeout: 5000 });
    }
    await page.waitForTimeout(300);
    assert.deepEqual(dialogs, [], 'a dialog (alert) opened');
    const flags = await page.evaluate(() => document.querySelectorAll('img[src="x"]').length);
    assert.equal(flags, 0);
    assert.deepEqual(pageErrors, []);
  }
});

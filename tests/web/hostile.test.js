// Hostile input in the browser (issue 9, the browser half): validly signed badges whose
// every field carries an XSS payload (hostile-world.js), through the three browser
// surfaces in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core):
//
//   1. the widget: <qlabel-badge> and <qlabel-seal> on a page, each detail panel opened;
//   2. the extension (rebuilt by `cargo xtask extension` with the world's authority as its
//      preset): the marks (closed shadow roots, read through the DevTools protocol), their
//      hover summary, the detail frame of every mark, the popup and every panel in it;
//   3. the website's verify page (dist/www, served with a config.json naming the world's
//      authority): every badge by URL and pasted, the result's panel opened.
//
// For every case: no dialog, no navigation away, the payloads' binding (`__pwned`, a CDP
// binding; an alert where it is missing) never called, no CSP report of a blocked inline
// script, no element made from a payload anywhere (open and closed shadow roots): no
// `img[src=x]`, no payload script, no `on*` attribute, no `srcdoc`, no frame but the
// extension's detail; every `<a href>` http(s); every `<img src>` http(s) or a
// `data:image/…` URL (never `javascript:` or `data:text/html`); the displayed fields'
// text shown literally (the payload string is in the text, also in the state's sentence,
// where a name holding `{authority}` must not be filled in again); a name's bidi controls
// (a right-to-left override) not reordering the words after it (the sentences: isolated;
// the verify page's names before their ids and the popup's titles: in <bdi>); and the
// verdict the world says (labelled, or not-labelled for the issuer without a label), as
// native qlabel says. A control page checks that the detectors catch the same payloads
// inserted as HTML. Screenshots in target/test-artifacts/hostile/.
//
// Run: cd tests/web && node --test hostile.test.js

import test, { after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { root, chromiumPath, chromiumArgs, widgetScript } from './widget-world.js';
import { launchWithExtension } from './ext-world.js';
import { startHostileWorld, resolverRules, wwwDir, AUTHORITY_NAME, MARK, PAYLOADS, URLS } from './hostile-world.js';

// Nothing is skipped: without the builds or the browser, this file fails.
for (const [what, file] of [
  ['the widget', widgetScript],
  ['the website', path.join(wwwDir, 'verify.html')],
  ['the extension', path.join(root, 'dist/extension/chromium/manifest.json')],
]) {
  if (!fs.existsSync(file)) throw new Error(`${what} is not built (${file}): run \`cargo xtask dist\``);
}
if (!fs.existsSync(chromiumPath)) throw new Error(`Chromium is not at ${chromiumPath}: apt-get install -y chromium chromium-driver`);

const shots = path.join(root, 'target/test-artifacts/hostile');
fs.rmSync(shots, { recursive: true, force: true });
fs.mkdirSync(shots, { recursive: true });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const FINAL = 30000;

const world = await startHostileWorld();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qlabel-hostile-test-'));
let browser = null;
let ext = null;
after(async () => {
  await ext?.ctx.close().catch(() => {});
  await browser?.close().catch(() => {});
  await world.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

// ---------------------------------------------------------------- what is watched

/** Everything a payload could do that a page reports, per surface. */
function watcher(name) {
  return { name, hits: [], dialogs: [], navigations: [], csp: [], errors: [] };
}
const watch = {
  widget: watcher('widget'),
  extension: watcher('extension'),
  verify: watcher('verify'),
};

/** Watches one page: dialogs (dismissed), main-frame navigations after the first load, CSP refusals, payload errors. */
function watchPage(page, w) {
  page.setDefaultTimeout(10000);
  let loaded = false;
  page.on('load', () => (loaded = true));
  page.on('dialog', (d) => {
    w.dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on('framenavigated', (f) => {
    if (f === page.mainFrame() && loaded) w.navigations.push(f.url());
  });
  page.on('console', (m) => {
    if (/Refused to (execute|load|frame)/i.test(m.text()) && /inline|javascript:|data:/i.test(m.text())) w.csp.push(m.text().slice(0, 300));
  });
  page.on('pageerror', (e) => {
    if (String(e).includes(MARK) || /pwned/.test(String(e))) w.errors.push(String(e).slice(0, 300));
  });
  return page;
}

/** The binding an executed payload calls. */
async function bind(context, w) {
  await context.exposeBinding('__pwned', (source, tag) => {
    w.hits.push({ tag: String(tag), url: source.frame?.url?.() ?? '?' });
  });
}

function assertQuiet(w, where) {
  assert.deepEqual(w.hits, [], `${where}: a payload ran (the __pwned binding was called)`);
  assert.deepEqual(w.dialogs, [], `${where}: a dialog opened`);
  assert.deepEqual(w.navigations, [], `${where}: the page navigated away`);
  assert.deepEqual(w.csp, [], `${where}: an inline script or URL was refused by a CSP (so an element was made from a payload)`);
  assert.deepEqual(w.errors, [], `${where}: a payload raised an error`);
}

// ---------------------------------------------------------------- the DOM audit

/**
 * The flat DOM of a page through the DevTools protocol (`DOM.getDocument`, pierce: open
 * and closed shadow roots, same-process frames): `{els: [{name, attrs, text, docUrl,
 * scope}], texts: {scope: text}}`, `text` the element's own text children (shortened by
 * the protocol when long); `scope` the nearest `qlabel-*` host's id, or for a mark the
 * id of the element it follows; `texts` the whole text of each qlabel-* shadow root.
 */
async function cdpElements(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root: doc } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const { els, roots } = flatten(doc);
    // The protocol shortens long text nodes: each qlabel-* shadow root's whole text is
    // read from the node itself (closed roots included).
    const texts = {};
    for (const r of roots) {
      const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: r.backendNodeId });
      const { result } = await cdp.send('Runtime.callFunctionOn', {
        objectId: object.objectId,
        functionDeclaration: 'function () { return this.textContent; }',
        returnByValue: true,
      });
      texts[r.scope] = (texts[r.scope] ?? '') + (result.value ?? '');
      await cdp.send('Runtime.releaseObject', { objectId: object.objectId }).catch(() => {});
    }
    return { els, texts };
  } finally {
    await cdp.detach().catch(() => {});
  }
}

function flatten(doc) {
  const out = [];
  const roots = [];
  const attrsOf = (n) => {
    const a = {};
    for (let i = 0; i + 1 < (n.attributes ?? []).length; i += 2) a[n.attributes[i]] = n.attributes[i + 1];
    return a;
  };
  const walk = (n, docUrl, scope, prev) => {
    if (n.nodeType === 9) docUrl = n.documentURL || docUrl;
    let here = scope;
    let rec = null;
    if (n.nodeType === 1) {
      const attrs = attrsOf(n);
      const name = (n.localName || n.nodeName || '').toLowerCase();
      if (name === 'qlabel-badge' || name === 'qlabel-seal') here = attrs.id || scope;
      if (name === 'qlabel-mark') here = `mark:${prev?.id ?? '?'}`;
      rec = { name, attrs, text: '', docUrl, scope: here };
      out.push(rec);
    }
    let last = null;
    for (const c of n.children ?? []) {
      if (c.nodeType === 3 && rec) rec.text += c.nodeValue ?? '';
      walk(c, docUrl, here, last);
      if (c.nodeType === 1) last = attrsOf(c);
    }
    for (const sr of n.shadowRoots ?? []) {
      if (rec && rec.name.startsWith('qlabel-')) roots.push({ scope: here, backendNodeId: sr.backendNodeId });
      walk(sr, docUrl, here, null);
    }
    if (n.contentDocument) walk(n.contentDocument, n.contentDocument.documentURL, here, null);
  };
  walk(doc, doc.documentURL, null, null);
  return { els: out, roots };
}

/** The same flat DOM from inside a frame (document and open shadow roots). */
function frameElements(frame) {
  return frame.evaluate(() => {
    const out = [];
    const visit = (node, scope) => {
      for (const e of node.querySelectorAll('*')) {
        const attrs = {};
        for (const a of e.attributes) attrs[a.name] = a.value;
        const text = [...e.childNodes].filter((c) => c.nodeType === 3).map((c) => c.nodeValue).join('');
        out.push({ name: e.localName, attrs, text, docUrl: document.URL, scope });
        if (e.shadowRoot) visit(e.shadowRoot, e.id || scope);
      }
    };
    visit(document, null);
    return out;
  });
}

const NO_TEXT = new Set(['style', 'script', 'title', 'noscript', 'template']);
/** The text people see in a flat DOM from frameElements() (optionally only in `scope`). */
const textOf = (elements, scope) =>
  elements
    .filter((e) => !NO_TEXT.has(e.name) && (scope === undefined || e.scope === scope))
    .map((e) => e.text)
    .join('');

const URL_ATTRS = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'ping', 'srcset'];
const squash = (v) => String(v ?? '').replace(/[\u0000-\u0020\u007f-\u00a0]/g, '').toLowerCase();

/**
 * What in a flat DOM came from a payload: a list of sentences (empty when clean), and
 * what images and links there are. `frames`: the frame sources allowed (prefixes);
 * `ownLinks`: the extension's own pages, which its popup links to.
 */
function audit(elements, { frames = [], ownLinks = [] } = {}) {
  const problems = [];
  const images = [];
  const links = [];
  const where = (e) => `<${e.name}${e.scope ? ` in ${e.scope}` : ''}>`;
  for (const e of elements) {
    for (const [k, v] of Object.entries(e.attrs)) {
      if (/^on/i.test(k)) problems.push(`${where(e)} has an event handler attribute ${k}="${v.slice(0, 80)}"`);
      if (URL_ATTRS.includes(k.toLowerCase()) && /^(javascript|vbscript|data:text|data:application)/.test(squash(v))) {
        problems.push(`${where(e)} ${k}="${v.slice(0, 80)}"`);
      }
      if (k.toLowerCase() === 'srcdoc') problems.push(`${where(e)} has a srcdoc`);
    }
    if (e.name === 'script' && (e.text.includes(MARK) || e.text.includes('__pwned'))) problems.push(`a script from a payload: ${e.text.slice(0, 80)}`);
    if (e.name === 'meta' && /refresh/i.test(e.attrs['http-equiv'] ?? '')) problems.push(`${where(e)} refresh`);
    if (e.name === 'base') problems.push(`${where(e)}: a <base> element`);
    if (e.name === 'img' || e.name === 'image') {
      const src = e.attrs.src ?? e.attrs.href ?? e.attrs['xlink:href'] ?? '';
      images.push(src);
      if (src === 'x') problems.push(`${where(e)}: img[src=x]`);
      else if (!/^(https?:|data:image\/(png|gif|jpe?g|webp|svg\+xml)[;,])/i.test(squash(src)) && !/^\.?\.?\//.test(src)) {
        problems.push(`${where(e)}: an image from ${src.slice(0, 80)}`);
      }
    }
    if ((e.name === 'a' || e.name === 'area') && 'href' in e.attrs) {
      let proto = null;
      try {
        proto = new URL(e.attrs.href, e.docUrl).protocol;
      } catch {
        /* not a URL */
      }
      links.push(e.attrs.href);
      const own = ownLinks.some((p) => new URL(e.attrs.href, e.docUrl).href.startsWith(p));
      if (proto !== 'https:' && proto !== 'http:' && !own) problems.push(`${where(e)}: a link to ${e.attrs.href.slice(0, 80)}`);
    }
    if (['iframe', 'frame', 'object', 'embed', 'portal', 'fencedframe'].includes(e.name)) {
      const src = e.attrs.src ?? e.attrs.data ?? '';
      if (!frames.some((p) => src.startsWith(p))) problems.push(`${where(e)}: a frame of ${src.slice(0, 80) || '(no source)'}`);
    }
    if (e.name === 'svg' && e.scope && Object.keys(e.attrs).some((k) => /^on/i.test(k))) problems.push(`${where(e)}: svg with a handler`);
  }
  return { problems, images, links };
}

/** The literal strings of a case a view must show. */
function shown(c, view) {
  const label = c.labelled ? [c.text.holderName, AUTHORITY_NAME] : [];
  switch (view) {
    case 'badge-panel': // the widget's panel: the badge's name and issuer, the label's holder and authority
      return [c.badgeName, c.text.issuerName, ...label];
    case 'summary': // the state's sentence: the registry's holder name and the authority when labelled, else the badge's issuer
      return c.labelled ? label : [c.text.issuerName];
    case 'seal-panel':
      return label;
    case 'verify':
      return [c.badgeName, c.text.issuerName, ...label];
    case 'popup-title':
      return [c.badgeName, c.text.issuerName];
    default:
      throw new Error(view);
  }
}

const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
/** The explicit bidirectional state at the end of `s` (embeddings e, isolates i), as UAX #9's X rules keep it. */
function bidiState(s) {
  const stack = [];
  for (const ch of s) {
    if ('\u202A\u202B\u202D\u202E'.includes(ch)) stack.push('e');
    else if (ch === '\u202C') {
      if (stack.at(-1) === 'e') stack.pop();
    } else if ('\u2066\u2067\u2068'.includes(ch)) stack.push('i');
    else if (ch === '\u2069') {
      const k = stack.lastIndexOf('i');
      if (k >= 0) stack.length = k;
    }
  }
  return stack.join('');
}
/**
 * Which of `values` (each where it first appears in `text`) leave the text after them in
 * another bidirectional state than the text before them: an override in a name that
 * reorders the product's own words.
 */
function bidiLeaks(text, values) {
  const out = [];
  for (const v of values) {
    const at = text.indexOf(v);
    if (at < 0 || !BIDI.test(v)) continue;
    let i = at;
    while (i > 0 && BIDI.test(text[i - 1])) i--;
    let j = at + v.length;
    while (j < text.length && BIDI.test(text[j])) j++;
    if (j < text.length && bidiState(text.slice(0, i)) !== bidiState(text.slice(0, j))) {
      out.push(`${JSON.stringify(v.slice(0, 40))}… leaks into ${JSON.stringify(text.slice(j, j + 40))}`);
    }
  }
  return out;
}

/** Which of `strings` are not in `text`, shortened for a message. */
const missing = (text, strings) => strings.filter((s) => !text.includes(s)).map((s) => JSON.stringify(s.length > 120 ? `${s.slice(0, 60)}…${s.slice(-60)}` : s));

// ---------------------------------------------------------------- set-up
// Everything is set up before the first test is registered (the file's tests end with
// the last registered one); the widget's page, the extension and the verify page at once.
// A failure fails that surface's tests, not the file.

let widgetPage = null;
let extPage = null;
let verifyPage = null;
let browserReady = null;
const widgetSetup = (async () => {
  browserReady = chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [...chromiumArgs, '--ignore-certificate-errors', '--no-proxy-server', `--host-resolver-rules=${resolverRules(world)}`],
  });
  browser = await browserReady;
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1100, height: 900 } });
  await bind(context, watch.widget);
  widgetPage = watchPage(await context.newPage(), watch.widget);
  await widgetPage.goto(world.pages.widget, { waitUntil: 'load' });
  await widgetPage.waitForFunction(
    () => [...document.querySelectorAll('qlabel-badge, qlabel-seal')].every((e) => e.getAttribute('status') && e.getAttribute('status') !== 'loading'),
    null,
    { timeout: FINAL, polling: 100 },
  );
})();
const extSetup = (async () => {
  ext = await launchWithExtension(world, tmp, { sites: ['https://hostile.example/*'] });
  await bind(ext.ctx, watch.extension);
  extPage = watchPage(await ext.ctx.newPage(), watch.extension);
  await extPage.goto(world.pages.ext, { waitUntil: 'load' });
  const end = Date.now() + FINAL;
  for (;;) {
    const st = await extPage.evaluate(() => [...document.querySelectorAll('qlabel-mark')].map((m) => m.getAttribute('status')));
    if (st.length >= world.cases.length && st.every((s) => s && s !== 'loading')) break;
    if (Date.now() > end) throw new Error(`the extension's marks did not settle: ${JSON.stringify(st)}`);
    await sleep(200);
  }
})();
const verifySetup = (async () => {
  const context = await (await browserReady).newContext({ ignoreHTTPSErrors: true, viewport: { width: 1100, height: 1000 }, locale: 'en-GB' });
  await bind(context, watch.verify);
  verifyPage = watchPage(await context.newPage(), watch.verify);
  await verifyPage.goto(`${world.pages.verify}?lang=en`, { waitUntil: 'load' });
  await verifyPage.waitForSelector('html[data-ready="true"]', { timeout: 20000 });
})();
const [widgetError, extError, verifyError] = (await Promise.allSettled([widgetSetup, extSetup, verifySetup])).map((r) => (r.status === 'rejected' ? r.reason : null));

// ---------------------------------------------------------------- the world

test('the world: every hostile badge is valid and gets the label status the world gives it, as native qlabel says; the CLI refuses what it refuses', () => {
  const wrong = world.native.filter((n) => n.got !== n.expect).map((n) => `${n.id}: expected ${n.expect}, native qlabel says ${n.got}`);
  assert.deepEqual(wrong, []);
  for (const n of world.native) {
    const c = world.cases.find((x) => x.id === n.id);
    assert.equal(n.report.badge.name, c.badgeName, `${n.id}: the report's badge name`);
    assert.equal(n.report.badge.image, c.url.image, `${n.id}: the report's image`);
    if (c.labelled) {
      assert.equal(n.report.label.certificate, c.url.certificate, `${n.id}: the report's certificate URL`);
      assert.equal(n.report.label.holder?.name, c.text.holderName, `${n.id}: the holder's name`);
      assert.equal(n.report.label.authority?.name, AUTHORITY_NAME, `${n.id}: the authority's name`);
    }
  }
  // The CLI would not publish a javascript: or data: certificate base URL, nor a holder
  // name of 12 000 characters: the world signed those into the registry itself.
  const refused = world.refusals.filter((r) => r.refused).map((r) => r.what.split(' ').slice(0, 3).join(' '));
  assert.deepEqual(refused.sort(), ['label award --name', 'registry publish --base-url', 'registry publish --base-url']);
  assert.deepEqual(world.refusals.filter((r) => !r.refused), []);
});

// ---------------------------------------------------------------- 1. the widget

/** Closes a widget element's panel (Escape, then its close button) if it is open. */
async function closePanel(page, el) {
  const dialog = el.getByRole('dialog');
  if (!(await dialog.isVisible().catch(() => false))) return;
  await page.keyboard.press('Escape').catch(() => {});
  if (await dialog.waitFor({ state: 'hidden', timeout: 3000 }).then(() => true, () => false)) return;
  await dialog.getByRole('button', { name: /close/i }).click({ timeout: 3000 }).catch(() => {});
  await dialog.waitFor({ state: 'hidden', timeout: 3000 });
}

/** Opens the panel of the widget element at `selector` (a click on its seal); returns its locator. */
async function openWidgetPanel(page, selector) {
  const el = page.locator(selector);
  await el.locator('button.seal').click();
  await el.getByRole('dialog').waitFor({ state: 'visible', timeout: 5000 });
  return el;
}

for (const c of world.cases) {
  for (const kind of c.labelled ? ['badge', 'seal'] : ['badge']) {
    const id = `${kind === 'badge' ? 'b' : 's'}-${c.id}`;
    test(`widget <qlabel-${kind}> ${c.id}: status ${c.expect}; the panel shows every field as text, makes no element from it, links http(s) only`, async () => {
      if (widgetError) throw widgetError;
      const page = widgetPage;
      const status = await page.getAttribute(`#${id}`, 'status');
      assert.equal(status, c.expect, `#${id}: status`);
      const el = await openWidgetPanel(page, `#${id}`);
      try {
        const { els, texts } = await cdpElements(page);
        const { problems, images, links } = audit(els);
        assert.deepEqual(problems, [], `#${id}: elements from the payload`);
        const text = texts[id] ?? '';
        assert.deepEqual(missing(text, shown(c, kind === 'badge' ? 'badge-panel' : 'seal-panel')), [], `#${id}: fields not shown literally`);
        const summary = await el.locator('#ql-summary').textContent();
        assert.deepEqual(missing(summary, shown(c, 'summary')), [], `#${id}: the sentence does not name them literally: ${summary.slice(0, 400)}`);
        assert.deepEqual(bidiLeaks(summary, shown(c, 'summary')), [], `#${id}: a name's direction marks reorder the sentence`);
        // The javascript:/data:text/html image never becomes an image, the hostile
        // certificate URL never a link.
        const mine = await el.evaluate((h) => ({
          imgs: [...h.shadowRoot.querySelectorAll('img')].map((i) => i.getAttribute('src')),
          links: [...h.shadowRoot.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
        }));
        if (kind === 'badge') {
          assert.deepEqual(mine.imgs, c.image === 'svg' ? [c.url.image] : [], `#${id}: the badge's image (${c.image})`);
        }
        assert.deepEqual(mine.links, [], `#${id}: links in the panel (the certificate URL is ${c.url.certificate?.slice(0, 20)})`);
        assert.ok(images.every((s) => s !== c.url.image || c.image === 'svg'));
        assert.ok(!links.includes(c.url.certificate));
        if (c.id === 'img' || c.id === 'bidi' || c.id === 'unlabelled') await page.screenshot({ path: path.join(shots, `widget-${id}-open.png`), fullPage: true });
      } finally {
        await closePanel(page, el);
      }
      assertQuiet(watch.widget, `#${id}`);
    });
  }
}

test('widget: after every panel, nothing ran, the page stayed, no element from a payload anywhere', async () => {
  if (widgetError) throw widgetError;
  await sleep(300);
  const { problems } = audit((await cdpElements(widgetPage)).els);
  assert.deepEqual(problems, []);
  assert.equal(widgetPage.url(), world.pages.widget);
  await widgetPage.screenshot({ path: path.join(shots, 'widget-page.png'), fullPage: true });
  assertQuiet(watch.widget, 'the widget page');
  await widgetPage.context().close();
});

// ---------------------------------------------------------------- 2. the extension


test('extension: every mark has its status; their closed shadow roots and hover summaries show the names as text and hold no element from them', async () => {
  if (extError) throw extError;
  const marks = await extPage.evaluate(() =>
    [...document.querySelectorAll('qlabel-mark')].map((m) => ({ after: m.previousElementSibling?.id ?? null, status: m.getAttribute('status') })),
  );
  assert.deepEqual(
    marks.map((m) => `${m.after} ${m.status}`).sort(),
    world.cases.map((c) => `l-${c.id} ${c.expect}`).sort(),
    'the marks (after their link) and their statuses',
  );
  const { els, texts } = await cdpElements(extPage);
  assert.ok(els.some((e) => e.scope?.startsWith('mark:') && e.name === 'button'), "the marks' closed shadow roots were read");
  const { problems } = audit(els);
  assert.deepEqual(problems, [], 'elements from a payload in the page or the marks');
  const bad = [];
  for (const c of world.cases) {
    const text = texts[`mark:l-${c.id}`] ?? '';
    const m = missing(text, shown(c, 'summary'));
    if (m.length) bad.push(`${c.id}: ${m.join(', ')} not in the mark's summary (${text.slice(0, 200)})`);
    for (const leak of bidiLeaks(text, shown(c, 'summary'))) bad.push(`${c.id}: in the mark's summary, ${leak}`);
    // Nothing but the extension's own markup in a mark.
    const foreign = els.filter((e) => e.scope === `mark:l-${c.id}` && !['qlabel-mark', 'style', 'div', 'button', 'span', 'svg', 'path', 'circle', 'rect'].includes(e.name));
    if (foreign.length) bad.push(`${c.id}: ${foreign.map((e) => e.name).join(', ')} in the mark`);
  }
  assert.deepEqual(bad, []);
  const first = extPage.locator('qlabel-mark').first();
  await first.hover();
  await sleep(500);
  await extPage.screenshot({ path: path.join(shots, 'extension-hover.png') });
  await extPage.mouse.move(1, 1);
  assertQuiet(watch.extension, 'the marks');
});

const detailFrame = () => extPage.frames().find((f) => f.url().startsWith(`chrome-extension://${ext.extId}/src/detail.html`));

for (const c of world.cases) {
  test(`extension detail ${c.id}: the frame shows every field as text, makes no element from it, links http(s) only`, async () => {
    if (extError) throw extError;
    // The previous mark, focused again when its detail closed, shows its summary over
    // its neighbours: focus and pointer away first.
    await extPage.mouse.move(1, 1);
    await extPage.evaluate(() => document.activeElement?.blur?.());
    const mark = extPage.locator(`#l-${c.id} + qlabel-mark`);
    await mark.click();
    try {
      await extPage.locator('iframe[src^="chrome-extension://"]').first().waitFor({ state: 'visible', timeout: 10000 });
      const end = Date.now() + 10000;
      while (!detailFrame() && Date.now() < end) await sleep(50);
      const frame = detailFrame();
      assert.ok(frame, 'the detail frame');
      await frame.waitForFunction(() => document.getElementById('host')?.shadowRoot?.querySelector('[role="dialog"]'), null, { timeout: 10000, polling: 50 });
      const els = await frameElements(frame);
      const { problems } = audit(els);
      assert.deepEqual(problems, [], `${c.id}: elements from a payload in the detail`);
      assert.equal(await frame.evaluate(() => document.getElementById('host').getAttribute('status')), c.expect, `${c.id}: the detail's status`);
      const text = textOf(els, 'host');
      assert.deepEqual(missing(text, shown(c, 'badge-panel')), [], `${c.id}: fields not shown literally in the detail`);
      const summary = await frame.evaluate(() => document.getElementById('host').shadowRoot.querySelector('#ql-summary').textContent);
      assert.deepEqual(missing(summary, shown(c, 'summary')), [], `${c.id}: the detail's sentence: ${summary.slice(0, 300)}`);
      assert.deepEqual(bidiLeaks(summary, shown(c, 'summary')), [], `${c.id}: a name's direction marks reorder the detail's sentence`);
      const imgs = els.filter((e) => e.name === 'img').map((e) => e.attrs.src);
      assert.deepEqual(imgs, c.image === 'svg' ? [c.url.image] : [], `${c.id}: the detail's images`);
      assert.deepEqual(els.filter((e) => e.name === 'a').map((e) => e.attrs.href), [], `${c.id}: links in the detail`);
      // The page around it: still clean, only the detail frame added.
      assert.deepEqual(audit((await cdpElements(extPage)).els, { frames: [`chrome-extension://${ext.extId}/src/detail.html`] }).problems, []);
      if (c.id === 'img' || c.id === 'unlabelled') await extPage.screenshot({ path: path.join(shots, `extension-detail-${c.id}.png`) });
    } finally {
      // Escape closes the detail (the key goes to the frame it removes: bounded wait).
      await Promise.race([extPage.keyboard.press('Escape').catch(() => {}), sleep(3000)]);
      await extPage.waitForFunction(() => !document.querySelector('iframe[src^="chrome-extension://"]'), null, { timeout: 5000 });
    }
    assert.equal(extPage.url(), world.pages.ext, 'the page navigated');
    assertQuiet(watch.extension, `the detail of ${c.id}`);
  });
}

test('extension popup: lists every badge with its status, names as text, every panel clean', async () => {
  if (extError) throw extError;
  const tabId = await ext.tabIdOf(extPage);
  const popup = watchPage(await ext.ctx.newPage(), watch.extension);
  try {
    await popup.setViewportSize({ width: 420, height: 900 });
    await popup.goto(`chrome-extension://${ext.extId}/src/popup.html?tab=${tabId}`);
    const end = Date.now() + FINAL;
    let items;
    for (;;) {
      items = await popup.evaluate(() =>
        [...document.querySelectorAll('li.badge')].map((li) => ({
          key: li.dataset.key,
          status: li.dataset.status,
          title: li.querySelector('.title')?.textContent ?? '',
          isolated: [...li.querySelectorAll('.title bdi')].map((b) => b.textContent),
        })),
      );
      if (items.length >= world.cases.length && items.every((i) => i.status && i.status !== 'loading')) break;
      if (Date.now() > end) break;
      await sleep(200);
    }
    const bad = [];
    for (const c of world.cases) {
      const item = items.find((i) => i.key?.endsWith(`/badges/${c.id}.json`));
      if (!item) {
        bad.push(`${c.id}: not listed`);
        continue;
      }
      if (item.status !== c.expect) bad.push(`${c.id}: ${item.status}, expected ${c.expect}`);
      const m = missing(item.title, shown(c, 'popup-title'));
      if (m.length) bad.push(`${c.id}: the title lacks ${m.join(', ')}`);
      // Each name in its own <bdi>: a badge name's direction marks cannot reorder the issuer's.
      if (JSON.stringify(item.isolated) !== JSON.stringify(shown(c, 'popup-title'))) bad.push(`${c.id}: the title's names are not each isolated (<bdi>)`);
    }
    assert.deepEqual(bad, [], `the popup's list (${items.length} items)`);
    await popup.screenshot({ path: path.join(shots, 'extension-popup.png'), fullPage: true });
    const own = [`chrome-extension://${ext.extId}/`];
    const { problems } = audit((await cdpElements(popup)).els, { ownLinks: own });
    assert.deepEqual(problems, [], 'elements from a payload in the popup');
    // Every badge's panel in the popup.
    for (const c of world.cases) {
      const li = popup.locator(`li.badge[data-key$="/badges/${c.id}.json"]`);
      await li.locator('button.seal').click();
      const dialog = li.getByRole('dialog');
      await dialog.waitFor({ state: 'visible', timeout: 5000 });
      try {
        const { els } = await cdpElements(popup);
        assert.deepEqual(audit(els, { ownLinks: own }).problems, [], `${c.id}: elements from a payload in the popup's panel`);
        const text = await li.locator('qlabel-badge').evaluate((h) => h.shadowRoot.textContent);
        assert.deepEqual(missing(text, shown(c, 'badge-panel')), [], `${c.id}: fields not shown literally in the popup's panel`);
        const links = await li.locator('qlabel-badge').evaluate((h) => [...h.shadowRoot.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')));
        assert.deepEqual(links, [], `${c.id}: links in the popup's panel`);
        if (c.id === 'bidi') await popup.screenshot({ path: path.join(shots, 'extension-popup-panel-bidi.png') });
      } finally {
        await closePanel(popup, li);
      }
    }
    assert.match(popup.url(), /popup\.html\?tab=/, 'the popup navigated');
  } finally {
    await popup.close();
  }
  await sleep(300);
  assert.equal(extPage.url(), world.pages.ext);
  assertQuiet(watch.extension, 'the popup');
});

// ---------------------------------------------------------------- 3. the verify page


for (const c of world.cases) {
  for (const how of ['url', 'paste']) {
    test(`verify page ${c.id} (${how === 'url' ? 'by URL' : 'pasted'}): valid and ${c.expect}; the summary and the panel show every field as text, no element from it, links http(s) only`, async () => {
      if (verifyError) throw verifyError;
      const page = verifyPage;
      await page.evaluate(() => {
        document.getElementById('result').dataset.state = 'stale';
        document.getElementById('url-input').value = '';
        document.getElementById('paste-input').value = '';
      });
      if (how === 'url') await page.fill('#url-input', world.badgeUrl(c));
      else await page.fill('#paste-input', JSON.stringify(c.doc, null, 2));
      await page.click('#verify-button');
      await page.waitForSelector('#result[data-state="done"], #result[data-state="error"]', { timeout: FINAL });
      const v = await page.evaluate(() => ({ ...document.getElementById('result').dataset }));
      assert.deepEqual([v.state, v.badgeStatus, v.labelStatus], ['done', 'valid', c.expect], `${c.id} (${how}): ${JSON.stringify(v)}`);
      const summary = await page.locator('#result-summary').textContent();
      assert.deepEqual(missing(summary, shown(c, 'verify')), [], `${c.id} (${how}): fields not shown literally in the summary`);
      // The issuer's and holder's names, followed by their ids, each isolated (<bdi>).
      const isolated = await page.evaluate(() => [...document.querySelectorAll('#result-facts bdi')].map((b) => b.textContent));
      assert.deepEqual(isolated, [c.text.issuerName, ...(c.labelled ? [c.text.holderName] : [])], `${c.id} (${how}): names isolated from the ids after them`);
      // The result's panel.
      await page.waitForSelector('#result-view[status]:not([status="loading"])', { timeout: 10000 });
      assert.equal(await page.getAttribute('#result-view', 'status'), c.expect);
      const view = await openWidgetPanel(page, '#result-view');
      try {
        const { els, texts } = await cdpElements(page);
        const { problems } = audit(els);
        assert.deepEqual(problems, [], `${c.id} (${how}): elements from a payload on the verify page`);
        assert.deepEqual(missing(texts['result-view'] ?? '', shown(c, 'badge-panel')), [], `${c.id} (${how}): fields not shown literally in the panel`);
        const vsum = await view.locator('#ql-summary').textContent();
        assert.deepEqual(missing(vsum, shown(c, 'summary')), [], `${c.id} (${how}): the panel's sentence: ${vsum.slice(0, 300)}`);
      assert.deepEqual(bidiLeaks(vsum, shown(c, 'summary')), [], `${c.id} (${how}): a name's direction marks reorder the panel's sentence`);
        // The certificate (javascript: / data:text/html) is text, not a link; no link but the site's own.
        const resultLinks = els.filter((e) => e.name === 'a' && (e.scope === 'result-view' || false)).map((e) => e.attrs.href);
        assert.deepEqual(resultLinks, [], `${c.id} (${how}): links in the panel`);
        const summaryLinks = await page.evaluate(() => [...document.querySelectorAll('#result a[href]')].map((a) => a.getAttribute('href')));
        assert.deepEqual(summaryLinks, [], `${c.id} (${how}): links in the result`);
        if (c.labelled) assert.ok(summary.includes(c.url.certificate), `${c.id} (${how}): the certificate URL is shown as text`);
        if (how === 'url' && (c.id === 'img' || c.id === 'long' || c.id === 'unlabelled')) await page.screenshot({ path: path.join(shots, `verify-${c.id}.png`), fullPage: true });
      } finally {
        await closePanel(page, view);
      }
      assert.match(page.url(), /^https:\/\/verify\.example\/verify\.html/, 'the page navigated');
      assertQuiet(watch.verify, `${c.id} (${how})`);
    });
  }
}

test("the website's registry page: every holder's name and the authority's as text, the certificate URLs not links, nothing from them run", async () => {
  if (verifyError) throw verifyError;
  const page = watchPage(await verifyPage.context().newPage(), watch.verify);
  try {
    await page.goto(world.pages.verify.replace('verify.html', 'registry.html?lang=en'), { waitUntil: 'load' });
    await page.waitForSelector('body[data-registry-state="done"]', { timeout: FINAL });
    const { els } = await cdpElements(page);
    assert.deepEqual(audit(els).problems, [], 'elements from a payload on the registry page');
    const text = await page.evaluate(() => document.querySelector('main').textContent);
    const labelled = world.cases.filter((c) => c.labelled);
    assert.deepEqual(missing(text, [...labelled.map((c) => c.text.holderName), AUTHORITY_NAME, ...labelled.map((c) => c.url.certificate)]), [], 'not shown literally');
    const hrefs = await page.evaluate(() => [...document.querySelectorAll('main a[href]')].map((a) => a.href));
    assert.deepEqual(hrefs.filter((h) => !/^https:\/\/verify\.example\//.test(h)), [], 'links off the site');
    await page.screenshot({ path: path.join(shots, 'registry.png'), fullPage: true });
  } finally {
    await page.close();
  }
  assertQuiet(watch.verify, 'the registry page');
});

test('the detectors work: the same payloads inserted as HTML in a closed shadow root of a control page are caught', async () => {
  assert.deepEqual([...new Set(world.cases.map((c) => c.payload.id))].sort(), PAYLOADS.map((p) => p.id).sort(), 'every payload is in a case');
  assert.equal(bidiLeaks('a \u202Eb c.', ['\u202Eb']).length, 1, 'an unclosed override is a leak');
  assert.deepEqual(bidiLeaks('a \u2068\u202Eb\u2069 c.', ['\u202Eb']), [], 'an isolated override is not');
  const browserOf = await browserReady;
  const w = watcher('control');
  const context = await browserOf.newContext();
  await bind(context, w);
  const page = watchPage(await context.newPage(), w);
  try {
    await page.setContent('<main id="m"></main>');
    const html = `${PAYLOADS.map((p) => p.text('control')).join('')}<a href="${URLS.js('control')}">x</a><img src="${URLS.html('control')}">`;
    await page.evaluate((h) => {
      const host = document.createElement('qlabel-badge');
      host.id = 'ctl';
      document.getElementById('m').append(host);
      host.attachShadow({ mode: 'closed' }).innerHTML = h;
    }, html);
    const end = Date.now() + 3000;
    while (!w.hits.length && Date.now() < end) await sleep(100);
    const { els, texts } = await cdpElements(page);
    const { problems } = audit(els);
    for (const want of [/img\[src=x\]/, /event handler attribute onerror/, /event handler attribute onload/, /a link to javascript:/, /a frame of|srcdoc/, /an image from data:text\/html/]) {
      assert.ok(problems.some((p) => want.test(p)), `the audit misses ${want}: ${JSON.stringify(problems)}`);
    }
    assert.ok(w.hits.some((h) => h.tag === `${MARK}:img:control`), `the binding was not called: ${JSON.stringify(w.hits)}`);
    assert.ok((texts.ctl ?? '').includes('WWWW'), "the closed root's text was read");
  } finally {
    await context.close();
  }
});

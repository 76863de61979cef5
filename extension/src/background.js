// qlabel extension: the service worker (Chromium) or background script (Firefox).
//
// It is the only part that fetches and verifies. Content scripts send what they see on a
// page (links, images, JSON-LD blocks…); the core's detection rules (qlabel-wasm's
// detect()) say which are badges and where their machine-readable form is; each badge is
// verified once with qlabel-wasm, with the user's trust anchors and registries, and the
// widget's words, icon and style for the result go back to the page. The popup reads the
// results from here, not from the page.

import { init, verify, detect, followVia, bakedPrefix, provideModules, clearCache, shareFetches } from '../pkg/index.js';
import * as rdfcGlue from '../pkg/qlabel_wasm_rdfc.js';
import * as assessGlue from '../pkg/qlabel_wasm_assess.js';
import initWidget, { describe, widgetStyle } from '../widget/qlabel_widget.js';
import { effective, isSitePattern } from './settings.js';

const api = globalThis.browser ?? globalThis.chrome;

// Dynamic import() is not allowed in a service worker: the lazily loaded modules' glue
// is imported above, their wasm still fetched only when first needed.
provideModules({ rdfc: rdfcGlue, assess: assessGlue });

/** A result is reused for this long (the time qlabel-wasm keeps a status list). */
const RESULT_MS = 5 * 60 * 1000;
/** Verifications running at once (they mostly wait for the network). */
const CONCURRENCY = 16;
/** Per-request timeout and byte limit, as the core's defaults. */
const TIMEOUT_MS = 10000;
const MAX_BYTES = 2 * 1024 * 1024;
/** Items one page may have at most (a hostile page could list millions). */
const MAX_ITEMS_PER_TAB = 2000;
const CONTENT_ID = 'qlabel-auto';

// Badges of one issuer share its label credential, its authority, the registry…: one
// request per URL for every verification within 30 s, simultaneous ones included.
const sharedFetch = shareFetches({ ttlMs: 30000 });

let widgetReady = null;
function loadWidget() {
  if (!widgetReady) {
    widgetReady = initWidget({ module_or_path: new URL('../widget/qlabel_widget_bg.wasm', import.meta.url) }).catch((e) => {
      widgetReady = null;
      throw e;
    });
  }
  return widgetReady;
}

// ---------------------------------------------------------------- settings

let settingsPromise = null;
function settings() {
  if (!settingsPromise) settingsPromise = effective();
  return settingsPromise;
}

function langs(s) {
  const out = [];
  if (s.lang) out.push(s.lang);
  for (const l of globalThis.navigator?.languages ?? []) out.push(l);
  out.push('en');
  return out;
}

/** Registers the content script for the sites scanned automatically (one run at a time). */
let syncing = Promise.resolve();
function syncContentScripts() {
  syncing = syncing.then(registerContentScripts, registerContentScripts);
  return syncing;
}

async function registerContentScripts() {
  const s = await settings();
  const patterns = s.sites.filter(isSitePattern);
  const registered = await api.scripting.getRegisteredContentScripts().catch(() => []);
  const ids = registered.map((r) => r.id).filter((id) => id.startsWith(CONTENT_ID));
  if (ids.length) await api.scripting.unregisterContentScripts({ ids }).catch(() => {});
  if (!patterns.length) return;
  const script = (id, matches) => ({ id, matches, js: ['src/content.js'], runAt: 'document_idle', allFrames: false });
  try {
    await api.scripting.registerContentScripts([script(CONTENT_ID, patterns)]);
  } catch {
    // One pattern the browser refuses must not stop the others.
    let n = 0;
    for (const p of patterns) {
      await api.scripting.registerContentScripts([script(`${CONTENT_ID}-${n++}`, [p])]).catch(() => {});
    }
  }
}

api.runtime.onInstalled.addListener(() => {
  syncContentScripts();
});
api.runtime.onStartup?.addListener(() => {
  syncContentScripts();
});
api.storage.onChanged.addListener((changes, area) => {
  if (area === 'sync' && changes.settings) {
    settingsPromise = null;
    results.clear();
    clearCache().catch(() => {});
    syncContentScripts();
  }
});

// ---------------------------------------------------------------- results

/** key → {at, promise of {report, error}} for each badge verified (fetch URL, or content). */
const results = new Map();
/** tabId → {url, scanned, items: Map(key → item)} */
const tabs = new Map();
/**
 * For benchmarks and tests: tabId → {scriptMs (the content script's main-thread time),
 * found, done, firstScanAt, lastDoneAt (last result sent), lastPaintAt (last results
 * painted on the page)}; times from Date.now().
 */
globalThis.qlabelStats = {};

function stats(tabId) {
  if (!globalThis.qlabelStats[tabId]) {
    globalThis.qlabelStats[tabId] = { scriptMs: 0, found: 0, done: 0, firstScanAt: 0, lastDoneAt: 0 };
  }
  return globalThis.qlabelStats[tabId];
}

/**
 * A tab's list. `doc` names the document (each content script draws one at random): a
 * new document — a reload, a link followed — starts a new list; so does a single-page
 * app moving to another URL (`fresh`: the content script then reports everything the
 * page holds again).
 */
function tabState(tabId, doc, url, fresh) {
  let t = tabs.get(tabId);
  if (!t || t.doc !== doc || fresh) {
    if (!t || t.doc !== doc) globalThis.qlabelStats[tabId] = undefined;
    t = { doc, url: url ?? '', scanned: true, items: new Map() };
    tabs.set(tabId, t);
  }
  return t;
}

api.tabs?.onRemoved?.addListener((tabId) => {
  tabs.delete(tabId);
  delete globalThis.qlabelStats[tabId];
  api.storage.session?.remove(`tab:${tabId}`).catch(() => {});
});

const persistTimers = new Map();
/** Keeps a tab's list in storage.session, so the popup has it after a worker restart. */
function persist(tabId) {
  if (!api.storage.session || persistTimers.has(tabId)) return;
  persistTimers.set(
    tabId,
    setTimeout(() => {
      persistTimers.delete(tabId);
      const t = tabs.get(tabId);
      if (!t) return;
      const value = { url: t.url, items: [...t.items.values()].map(publicItem) };
      api.storage.session.set({ [`tab:${tabId}`]: value }).catch(() => {});
    }, 200),
  );
}

function publicItem(i) {
  return {
    key: i.key,
    source: i.source,
    platform: i.platform,
    page: i.page,
    fetch: i.fetch,
    linkOnly: i.linkOnly,
    status: i.status,
    report: i.report ?? null,
    error: i.error ?? null,
  };
}

// A tiny queue: CONCURRENCY verifications at a time, in the order asked.
const queue = [];
let running = 0;
function enqueue(job) {
  return new Promise((resolve) => {
    queue.push({ job, resolve });
    pump();
  });
}
function pump() {
  while (running < CONCURRENCY && queue.length) {
    const { job, resolve } = queue.shift();
    running++;
    job()
      .then(resolve, (e) => resolve({ report: null, error: { code: 'internal', message: String(e && e.message ? e.message : e) } }))
      .finally(() => {
        running--;
        pump();
      });
  }
}

async function fetchText(url) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const res = await fetch(url, { signal: controller.signal, credentials: 'omit', headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`);
    const declared = Number(res.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > MAX_BYTES) throw new Error(`${url} is larger than ${MAX_BYTES} bytes`);
    const text = await res.text();
    if (text.length > MAX_BYTES) throw new Error(`${url} is larger than ${MAX_BYTES} bytes`);
    return text;
  } catch (e) {
    if (e && e.name === 'AbortError') throw new Error(`${url} did not answer within ${TIMEOUT_MS / 1000} s`);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/** How long the service worker waits for a content script's copy of an image. */
const IMAGE_WAIT_MS = 5000;

/**
 * An image's bytes as far as they can hold a baked badge, or null when they hold none:
 * read as a stream, from the browser's cache when it has the image, and dropped as soon
 * as the first bytes say the image cannot be baked (a JPEG, a GIF, a WebP…).
 */
async function readImage(url) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const res = await fetch(url, { signal: controller.signal, credentials: 'omit', cache: 'force-cache' });
    if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`);
    const reader = res.body.getReader();
    const chunks = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > MAX_BYTES) throw new Error(`${url} is larger than ${MAX_BYTES} bytes`);
      chunks.push(value);
      if ((await bakedPrefix(concat(chunks, size))) === 'not-baked') {
        controller.abort();
        return null;
      }
    }
    const bytes = concat(chunks, size);
    return (await bakedPrefix(bytes)) === 'not-baked' ? null : bytes;
  } catch (e) {
    if (e && e.name === 'AbortError') throw new Error(`${url} did not answer within ${TIMEOUT_MS / 1000} s`);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

function concat(chunks, size) {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  chunks.splice(0, chunks.length, out);
  return out;
}

/** The bytes of a `data:` URL (an image inlined in the page). */
async function dataBytes(url) {
  const res = await fetch(url);
  const buf = new Uint8Array(await res.arrayBuffer());
  if (buf.length > MAX_BYTES) throw new Error(`the inline image is larger than ${MAX_BYTES} bytes`);
  return buf;
}

/** Waits for the content script's copy of an image (null: it could not read it). */
async function waitForBytes(item) {
  let timer;
  const late = new Promise((resolve) => (timer = setTimeout(() => resolve(null), IMAGE_WAIT_MS)));
  try {
    return await Promise.race([item.bytes.promise, late]);
  } finally {
    clearTimeout(timer);
    pendingBytes.delete(item.bytes.id);
  }
}

/**
 * A report for a badge that cannot be checked where it is shown (a platform with no
 * machine-readable badge): unverifiable, never valid.
 */
function linkOnlyReport(item) {
  return {
    schema: 'qlabel-report/1',
    input: { format: null, baked: null, source: item.page },
    badge: {
      status: 'unverifiable',
      checks: [
        {
          id: 'format',
          status: 'skip',
          message: `${item.page} is on a platform that publishes no machine-readable badge (${item.platform}); it can only be checked there`,
        },
      ],
    },
    label: { status: 'not-evaluated', checks: [] },
  };
}

async function verifyItem(item, s) {
  if (item.linkOnly) return { report: linkOnlyReport(item), error: null };
  const anchors = s.anchors.map((a) => a.anchor);
  const options = {
    fetch: sharedFetch,
    timeout: TIMEOUT_MS,
    maxBytes: MAX_BYTES,
    ...(anchors.length ? { trust: anchors } : {}),
    ...(s.registries.length ? { registry: s.registries[0].url } : {}),
    ...(item.page ? { source: item.page } : {}),
  };
  let input = item.input;
  try {
    if (item.source === 'image') {
      // The page's own copy first (no second download); then the image's URL.
      let bytes = item.bytes ? await waitForBytes(item) : null;
      if (bytes && (await bakedPrefix(bytes)) === 'not-baked') bytes = null;
      else if (!bytes) bytes = input.startsWith('data:') ? await dataBytes(input) : await readImage(input);
      if (!bytes) return { report: null, error: { code: 'not-baked', message: `${input.slice(0, 200)} holds no badge` } };
      return { report: await verify(bytes, { ...options, source: input.startsWith('data:') ? 'an image on the page' : input }), error: null };
    }
    if (item.via) {
      const text = await fetchText(item.fetch);
      const next = await followVia(text, item.via);
      if (!next) {
        return { report: null, error: { code: 'not-a-badge', message: `${item.fetch} names no badge in '${item.via}'` } };
      }
      input = next;
    }
    return { report: await verify(input, options), error: null };
  } catch (e) {
    return { report: null, error: { code: (e && e.code) || 'fetch-failed', message: (e && e.message) || String(e) } };
  }
}

function resultOf(item, s) {
  const now = Date.now();
  const cached = results.get(item.cacheKey);
  if (cached && now - cached.at < RESULT_MS) return cached.promise;
  const promise = enqueue(() => verifyItem(item, s));
  results.set(item.cacheKey, { at: now, promise });
  promise.then((r) => {
    // A failure to fetch is not kept: the next page view tries again.
    if (!r.report && results.get(item.cacheKey)?.promise === promise) results.delete(item.cacheKey);
  });
  return promise;
}

/**
 * Whether a result earns a mark. Links of a known platform, a page, a JSON-LD block and
 * an alternate always do (an error is said); a generic link or an image only when what
 * it pointed at was a badge at all.
 */
function deserves(item, r) {
  if (r.report) {
    if (item.certain || item.linkOnly) return true;
    return Boolean(r.report.input && r.report.input.format);
  }
  return item.certain;
}

/**
 * The widget's view of a result. Badges of one issuer under one label read the same, so
 * views are kept by what they are made of (statuses, names, dates, language).
 */
const views = new Map();
function view(report, s, status) {
  const l = langs(s);
  if (status === 'loading') return describe('loading', l);
  const b = report?.badge ?? {};
  const lab = report?.label ?? {};
  const key = JSON.stringify([
    l,
    report ? 1 : 0,
    b.status,
    b.name,
    b.issuer?.name,
    b.issuer?.id,
    b.issued,
    b.expires,
    b.validFrom,
    lab.status,
    lab.holder?.name,
    lab.holder?.id,
    lab.authority?.name,
    lab.authority?.id,
    lab.validFrom,
    lab.validUntil,
  ]);
  let v = views.get(key);
  if (!v) {
    v = describe(report ?? null, l);
    if (views.size > 500) views.clear();
    views.set(key, v);
  }
  return v;
}

async function send(tabId, frameId, message) {
  try {
    await api.tabs.sendMessage(tabId, message, { frameId });
  } catch {
    // The tab navigated away or closed.
  }
}

/** Results go to a page in batches (one message per frame every BATCH_MS at most). */
const BATCH_MS = 40;
const outbox = new Map(); // `${tabId}:${frameId}` → [{key, view}]
function post(tabId, frameId, key, view) {
  const id = `${tabId}:${frameId}`;
  let list = outbox.get(id);
  if (!list) {
    list = [];
    outbox.set(id, list);
    setTimeout(() => {
      outbox.delete(id);
      send(tabId, frameId, { type: 'results', list });
    }, BATCH_MS);
  }
  list.push({ key, view });
}

async function finish(tabId, frameId, item, s) {
  const r = await resultOf(item, s);
  const t = tabs.get(tabId);
  const st = stats(tabId);
  const keep = deserves(item, r);
  item.report = r.report;
  item.error = r.error;
  if (!keep) {
    if (t) t.items.delete(item.key);
    st.found = Math.max(0, st.found - 1);
    post(tabId, frameId, item.key, null);
    persist(tabId);
    return;
  }
  await loadWidget();
  const v = view(r.report, s);
  item.status = v.status;
  st.done++;
  st.lastDoneAt = Date.now();
  persist(tabId);
  post(tabId, frameId, item.key, v);
}

const PLATFORM_CERTAIN = new Set(['credly', 'badgr', 'edubadges', 'obf', 'obp', 'cities-of-learning', 'europass']);

function sameOrigin(a, b) {
  try {
    const u = new URL(a);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/** `${tabId}\n${key}` → {promise, resolve} of an image's bytes a content script reads. */
const pendingBytes = new Map();

async function onImage(msg, sender) {
  const id = `${sender.tab.id}\n${msg.key}`;
  const pending = pendingBytes.get(id);
  if (!pending) return;
  pendingBytes.delete(id);
  let bytes = null;
  if (typeof msg.dataUrl === 'string' && msg.dataUrl.startsWith('data:') && msg.dataUrl.length < MAX_BYTES * 1.4) {
    bytes = await dataBytes(msg.dataUrl).catch(() => null);
  }
  pending.resolve(bytes);
}

function fnv(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${h.toString(16)}-${text.length}`;
}

/** What one detected thing is, as an item of the tab's list. */
function itemOf(f, page, senderUrl) {
  const base = { source: f.source, platform: f.platform, page: f.page ?? null, fetch: f.fetch ?? null, via: f.via ?? null, linkOnly: false, certain: false };
  switch (f.source) {
    case 'script': {
      const text = page.scripts[f.index] ?? '';
      return { ...base, platform: 'inline', page: page.url, input: text, key: `script:${fnv(text)}`, certain: true };
    }
    case 'image': {
      const img = page.images[f.index];
      const src = f.fetch ?? img?.src;
      if (!src) return null;
      // An image of the page's own origin is read by the content script from the
      // browser's cache (the page loaded it already); others by the service worker.
      const own = sameOrigin(src, page.url || senderUrl);
      return { ...base, platform: 'baked', fetch: src, input: src, key: `image:${src}`, read: own };
    }
    default: {
      if (!f.fetch) {
        return { ...base, linkOnly: true, certain: true, key: `link:${f.page}` };
      }
      const certain = PLATFORM_CERTAIN.has(f.platform) || f.source === 'page' || f.source === 'embed' || f.source === 'alternate';
      return { ...base, input: f.fetch, key: f.via ? `via:${f.fetch}` : f.fetch, certain };
    }
  }
}

async function onScan(msg, sender) {
  const tabId = sender.tab?.id;
  const frameId = sender.frameId ?? 0;
  if (tabId === undefined) return { items: [] };
  const page = sanitizePage(msg.page);
  const s = await settings();
  await init();
  const found = await detect(page);
  const t = tabState(tabId, String(msg.doc ?? ''), sender.tab.url ?? page.url, Boolean(msg.fresh));
  const st = stats(tabId);
  if (!st.firstScanAt) st.firstScanAt = Date.now();
  const answer = [];
  for (const f of found) {
    const item = itemOf(f, page, sender.tab.url ?? '');
    if (!item) continue;
    item.cacheKey = item.key;
    const fresh = !t.items.has(item.key) && t.items.size < MAX_ITEMS_PER_TAB && !results.has(item.cacheKey);
    if (item.read && fresh) {
      let resolve;
      const id = `${tabId}\n${item.key}`;
      item.bytes = { id, promise: new Promise((r) => (resolve = r)), resolve };
      pendingBytes.set(id, item.bytes);
    }
    answer.push({ source: f.source, index: f.index, key: item.key, platform: item.platform, show: item.certain, read: Boolean(item.bytes) });
    if (t.items.has(item.key) || t.items.size >= MAX_ITEMS_PER_TAB) continue;
    item.status = 'loading';
    t.items.set(item.key, item);
    st.found++;
    finish(tabId, frameId, item, s);
  }
  persist(tabId);
  let loading = null;
  let style = null;
  if (answer.length) {
    await loadWidget();
    loading = view(null, s, 'loading');
    if (!msg.haveStyle) style = widgetStyle();
  }
  // Results already known (a badge seen before) are sent at once by finish(); the
  // content script shows `loading` until they arrive.
  return { tabId, items: answer, loading, style };
}

/** The page as a content script describes it, with every list capped and typed. */
function sanitizePage(p) {
  const str = (v, max = 8192) => (typeof v === 'string' ? v.slice(0, max) : '');
  const arr = (v, max) => (Array.isArray(v) ? v.slice(0, max) : []);
  return {
    url: str(p?.url),
    links: arr(p?.links, 5000).map((x) => str(x)),
    images: arr(p?.images, 500).map((i) => ({ src: str(i?.src, 65536), alt: str(i?.alt, 512), title: str(i?.title, 512) })),
    scripts: arr(p?.scripts, 100).map((x) => str(x, MAX_BYTES)),
    alternates: arr(p?.alternates, 100).map((a) => [str(a?.[0]), str(a?.[1], 200)]),
    embeds: arr(p?.embeds, 200).map((a) => [str(a?.[0], 200), str(a?.[1], 200)]),
  };
}

async function onList(tabId) {
  const t = tabs.get(tabId);
  if (t) return { scanned: true, url: t.url, items: [...t.items.values()].map(publicItem) };
  const got = api.storage.session ? await api.storage.session.get(`tab:${tabId}`).catch(() => ({})) : {};
  const saved = got[`tab:${tabId}`];
  if (saved) return { scanned: true, url: saved.url, items: saved.items };
  return { scanned: false, url: null, items: [] };
}

async function onGet(tabId, key) {
  const list = await onList(tabId);
  const item = list.items.find((i) => i.key === key);
  if (!item) return { report: null, error: { code: 'gone', message: 'this badge is no longer in the list' } };
  const s = await settings();
  return { report: item.report, error: item.error, lang: s.lang };
}

/** The toolbar: scan a tab whose site is not scanned automatically. */
async function onScanTab(tabId) {
  tabs.delete(tabId);
  delete globalThis.qlabelStats[tabId];
  await api.scripting.executeScript({ target: { tabId }, files: ['src/content.js'] });
  return { ok: true };
}

api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (!msg || typeof msg !== 'object') return false;
  // Only this extension's own pages may ask for lists, details or scans of a tab;
  // content scripts may only report what their own page holds.
  const fromExtensionPage = !sender.tab || (sender.url && sender.url.startsWith(api.runtime.getURL('')));
  let work = null;
  switch (msg.type) {
    case 'scan':
      if (sender.tab) work = onScan(msg, sender);
      break;
    case 'image':
      if (sender.tab) onImage(msg, sender);
      return false;
    case 'stats':
      if (sender.tab && Number.isFinite(msg.scriptMs)) {
        const st = stats(sender.tab.id);
        st.scriptMs = msg.scriptMs;
        if (Number.isFinite(msg.paintedAt) && msg.paintedAt > 0) st.lastPaintAt = msg.paintedAt;
      }
      return false;
    case 'list':
      if (fromExtensionPage) work = onList(Number(msg.tabId));
      break;
    case 'get':
      if (fromExtensionPage) work = onGet(Number(msg.tabId), String(msg.key));
      break;
    case 'scan-tab':
      if (fromExtensionPage) work = onScanTab(Number(msg.tabId));
      break;
    default:
      return false;
  }
  if (!work) return false;
  work.then(sendResponse, (e) => sendResponse({ error: { code: 'internal', message: String(e && e.message ? e.message : e) } }));
  return true;
});

// A worker started for a message still registers the scripts (after an update, say).
syncContentScripts().catch(() => {});
// Compile both modules while the first page is still being read.
init().catch(() => {});
loadWidget().catch(() => {});

// The options page: label authorities (trust anchors), registries, the language, and the
// sites scanned without a click. Every change is stored at once (settings.js, storage.sync)
// and announced in the polite status line; a mistake is explained next to its field and
// stores nothing. Text comes from ../i18n/<lang>.json; whatever a user or a trust file
// supplies is set as text, never parsed as HTML.

import {
  LANGS,
  DEFAULT_SITES,
  preset,
  effective,
  loadStored,
  saveStored,
  parseAnchors,
  isRegistryUrl,
  isSitePattern,
} from './settings.js';

const api = globalThis.browser ?? globalThis.chrome;

/** A trust file is a few hundred bytes; anything near this is not one. */
const MAX_TRUST_FILE = 256 * 1024;
const FETCH_TIMEOUT_MS = 10_000;

/** The tables of every language, fetched at start (`meta.language` names each in itself). */
const tables = {};
let lang = 'en';

const $ = (id) => document.getElementById(id);

/** A mistake to show to people: a table key and its placeholders' values. */
class Problem extends Error {
  constructor(key, vars = {}) {
    super(key);
    this.key = key;
    this.vars = vars;
  }
}

function t(key, vars = {}) {
  const text = tables[lang]?.[key] ?? tables.en?.[key] ?? key;
  return text.replace(/\{([a-z0-9-]+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

async function loadTables() {
  await Promise.all(
    LANGS.map(async (l) => {
      try {
        const r = await fetch(`../i18n/${l}.json`);
        tables[l] = r.ok ? await r.json() : {};
      } catch {
        tables[l] = {};
      }
    }),
  );
}

/** The browser's first language the extension speaks (as the widget resolves tags), else English. */
function browserLang() {
  const tags = [...(navigator.languages ?? []), navigator.language, api.i18n?.getUILanguage?.()];
  for (const tag of tags) {
    if (typeof tag !== 'string') continue;
    const parts = tag.toLowerCase().split(/[-_]/);
    const primary = parts[0];
    if (primary === 'sr') return parts.includes('cyrl') ? 'sr-Cyrl' : 'sr-Latn';
    const hit = LANGS.find((l) => l === primary);
    if (hit) return hit;
  }
  return 'en';
}

function langName(l) {
  return tables[l]?.['meta.language'] ?? l;
}

// ---------------------------------------------------------------------------------------
// Feedback

function announce(message) {
  const status = $('status');
  // Cleared first so that the same message twice in a row is announced twice.
  status.textContent = '';
  requestAnimationFrame(() => {
    status.textContent = message;
  });
}

const shownErrors = new Map();

function showError(fieldId, problem) {
  const field = $(fieldId);
  const box = $(`${fieldId}-error`);
  shownErrors.set(fieldId, problem);
  box.textContent = t(problem.key, problem.vars);
  box.hidden = false;
  field.setAttribute('aria-invalid', 'true');
  announce(box.textContent);
}

function clearError(fieldId) {
  shownErrors.delete(fieldId);
  const box = $(`${fieldId}-error`);
  box.textContent = '';
  box.hidden = true;
  $(fieldId).removeAttribute('aria-invalid');
}

/**
 * Runs one change after the previous one has finished (two quick clicks must not both
 * read the same stored settings and overwrite each other), and shows its mistake next to
 * `fieldId`.
 */
let queue = Promise.resolve();
function change(fieldId, work) {
  queue = queue.then(async () => {
    if (fieldId) clearError(fieldId);
    try {
      const message = await work();
      await render();
      if (message) announce(message);
    } catch (e) {
      const problem = e instanceof Problem ? e : new Problem('error.save', { reason: e?.message ?? String(e) });
      if (fieldId) showError(fieldId, problem);
      else announce(t(problem.key, problem.vars));
    }
  });
  return queue;
}

/** Saves, then checks that the store kept what was added (it drops entries past its limits). */
async function saveAndCheck(stored, kept) {
  await saveStored(stored);
  if (kept && !kept(await loadStored())) throw new Problem('error.list-full');
}

// ---------------------------------------------------------------------------------------
// Label authorities

function readAnchors(text) {
  if (!text.trim()) throw new Problem('error.anchor-empty');
  try {
    JSON.parse(text);
  } catch {
    throw new Problem('error.anchor-json');
  }
  try {
    return parseAnchors(text);
  } catch {
    throw new Problem('error.anchor-shape');
  }
}

/** Adds anchors the user supplied; returns the message to announce. */
async function addAnchors(list) {
  const [eff, stored] = await Promise.all([effective(), loadStored()]);
  const presetIds = new Set(eff.anchors.filter((a) => a.source === 'preset').map((a) => a.anchor.id));
  const added = [];
  const updated = [];
  const known = [];
  for (const anchor of list) {
    if (presetIds.has(anchor.id)) {
      known.push(anchor.name);
      continue;
    }
    const at = stored.anchors.findIndex((a) => a.id === anchor.id);
    if (at >= 0) {
      stored.anchors[at] = anchor;
      updated.push(anchor.name);
    } else {
      stored.anchors.push(anchor);
      added.push(anchor.name);
    }
  }
  if (added.length === 0 && updated.length === 0) throw new Problem('error.anchor-known', { name: known.join(', ') });
  const ids = list.map((a) => a.id).filter((id) => !presetIds.has(id));
  await saveAndCheck(stored, (s) => ids.every((id) => s.anchors.some((a) => a.id === id)));
  const messages = [];
  if (added.length) messages.push(t('options.anchors.added', { name: added.join(', ') }));
  if (updated.length) messages.push(t('options.anchors.updated', { name: updated.join(', ') }));
  return messages.join(' ');
}

async function removeAnchor(id, source, name) {
  const stored = await loadStored();
  if (source === 'preset') {
    if (!stored.removed.includes(id)) stored.removed.push(id);
  } else {
    stored.anchors = stored.anchors.filter((a) => a.id !== id);
  }
  await saveStored(stored);
  return t('options.anchors.removed', { name });
}

/** GETs a trust file: 10 s at most, 256 KiB at most, no cookies. */
async function fetchTrustFile(url) {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), FETCH_TIMEOUT_MS);
  try {
    let r;
    try {
      r = await fetch(url, { signal: ctl.signal, credentials: 'omit', cache: 'no-store' });
    } catch {
      throw new Problem(ctl.signal.aborted ? 'error.fetch-timeout' : 'error.fetch-failed');
    }
    if (!r.ok) throw new Problem('error.fetch-status', { status: r.status });
    if (r.url && !isRegistryUrl(r.url)) throw new Problem('error.url');
    if (Number(r.headers.get('content-length')) > MAX_TRUST_FILE) throw new Problem('error.fetch-size');
    const chunks = [];
    let total = 0;
    try {
      const reader = r.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > MAX_TRUST_FILE) {
          ctl.abort();
          throw new Problem('error.fetch-size');
        }
        chunks.push(value);
      }
    } catch (e) {
      if (e instanceof Problem) throw e;
      throw new Problem(ctl.signal.aborted ? 'error.fetch-timeout' : 'error.fetch-failed');
    }
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.byteLength;
    }
    return new TextDecoder().decode(bytes);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------
// Registries and sites

async function addRegistry(raw) {
  const url = raw.trim();
  if (!isRegistryUrl(url)) throw new Problem('error.registry-url');
  const [p, eff, stored] = await Promise.all([preset(), effective(), loadStored()]);
  if (p.registries.includes(url) && stored.removed.includes(url)) {
    // A preset the user removed earlier comes back as the preset.
    stored.removed = stored.removed.filter((x) => x !== url);
    await saveStored(stored);
  } else {
    if (eff.registries.some((r) => r.url === url)) throw new Problem('error.registry-known');
    stored.registries.push(url);
    await saveAndCheck(stored, (s) => s.registries.includes(url));
  }
  return t('options.registries.added', { url });
}

async function removeRegistry(url, source) {
  const stored = await loadStored();
  if (source === 'preset') {
    if (!stored.removed.includes(url)) stored.removed.push(url);
  } else {
    stored.registries = stored.registries.filter((x) => x !== url);
  }
  await saveStored(stored);
  return t('options.registries.removed', { url });
}

async function addSite(raw) {
  const pattern = raw.trim();
  if (!isSitePattern(pattern)) throw new Problem('error.site-pattern');
  const stored = await loadStored();
  const sites = stored.sites ?? [...DEFAULT_SITES];
  if (sites.includes(pattern)) throw new Problem('error.site-known');
  stored.sites = [...sites, pattern];
  await saveAndCheck(stored, (s) => (s.sites ?? []).includes(pattern));
  return t('options.sites.added', { pattern });
}

async function removeSite(pattern) {
  const stored = await loadStored();
  stored.sites = (stored.sites ?? [...DEFAULT_SITES]).filter((p) => p !== pattern);
  await saveStored(stored);
  return t('options.sites.removed', { pattern });
}

async function resetSites() {
  const stored = await loadStored();
  stored.sites = null;
  await saveStored(stored);
  return t('options.sites.reset-done');
}

// ---------------------------------------------------------------------------------------
// Rendering

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('data-') || k.startsWith('aria-') || k === 'lang' || k === 'dir') node.setAttribute(k, v);
    else node[k] = v;
  }
  node.append(...children);
  return node;
}

/** The key an entry is known by in its list: an anchor's id, a registry's URL, a pattern. */
const entryKey = (li) => li.dataset.id ?? li.dataset.url ?? li.dataset.pattern;

function removeButton(name, onRemove, fallbackFocus) {
  const b = el('button', { type: 'button', class: 'remove', text: t('options.remove') });
  b.setAttribute('aria-label', t('options.remove-named', { name }));
  b.addEventListener('click', () => {
    // Focus moves to the next entry's button (or the add field), not to the page's top.
    const li = b.closest('li');
    const list = li.parentElement;
    const neighbour = li.nextElementSibling ?? li.previousElementSibling;
    const key = neighbour ? entryKey(neighbour) : null;
    // A mistake shown under the section's add field is old news once the list changed.
    if (shownErrors.has(fallbackFocus)) clearError(fallbackFocus);
    change(null, onRemove).then(() => {
      const again = [...list.children].find((item) => key !== null && entryKey(item) === key);
      (again?.querySelector('button.remove') ?? $(fallbackFocus)).focus();
    });
  });
  return b;
}

function sourceTag(source) {
  const key = source === 'preset' ? 'options.anchors.preset' : 'options.anchors.user';
  return el('span', { class: `source source-${source}`, text: t(key) });
}

let shownLang = null;

async function render() {
  const eff = await effective();
  const stored = await loadStored();

  // The lists are rebuilt: a focused Remove button is focused again in its new entry.
  const focusedLi = document.activeElement?.matches?.('li button.remove') ? document.activeElement.closest('li') : null;
  const refocus = focusedLi ? [focusedLi.parentElement.id, entryKey(focusedLi)] : null;

  const wanted = stored.lang || browserLang();
  if (wanted !== shownLang) applyLanguage(wanted);

  const anchors = $('anchors');
  anchors.replaceChildren(
    ...eff.anchors.map(({ anchor, source }) =>
      el(
        'li',
        { 'data-id': anchor.id, 'data-source': source },
        el(
          'div',
          { class: 'entry' },
          el('span', { class: 'name', text: anchor.name }),
          el('span', { class: 'id', text: anchor.id }),
          sourceTag(source),
        ),
        removeButton(anchor.name, () => removeAnchor(anchor.id, source, anchor.name), 'anchor-text'),
      ),
    ),
  );
  $('anchors-none').hidden = eff.anchors.length > 0;

  const registries = $('registries');
  registries.replaceChildren(
    ...eff.registries.map(({ url, source }) =>
      el(
        'li',
        { 'data-url': url, 'data-source': source },
        el('div', { class: 'entry' }, el('span', { class: 'id', text: url }), sourceTag(source)),
        removeButton(url, () => removeRegistry(url, source), 'registry-url'),
      ),
    ),
  );
  $('registries-none').hidden = eff.registries.length > 0;

  const sites = $('sites');
  sites.replaceChildren(
    ...eff.sites.map((pattern) =>
      el(
        'li',
        { 'data-pattern': pattern },
        el('div', { class: 'entry' }, el('span', { class: 'id', text: pattern })),
        removeButton(pattern, () => removeSite(pattern), 'site-pattern'),
      ),
    ),
  );
  $('sites-none').hidden = eff.sites.length > 0;

  renderLangSelect(stored.lang);

  if (refocus) {
    const [listId, key] = refocus;
    const again = [...$(listId).children].find((item) => entryKey(item) === key);
    again?.querySelector('button.remove')?.focus();
  }
}

function renderLangSelect(chosen) {
  const select = $('lang');
  const auto = el('option', { value: '', text: `${t('options.lang.auto')} (${langName(browserLang())})` });
  const options = LANGS.map((l) => el('option', { value: l, lang: l, text: langName(l) }));
  select.replaceChildren(auto, ...options);
  select.value = chosen;
}

function applyLanguage(l) {
  lang = l;
  shownLang = l;
  document.documentElement.lang = l;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const [fieldId, problem] of shownErrors) $(`${fieldId}-error`).textContent = t(problem.key, problem.vars);
}

// ---------------------------------------------------------------------------------------
// Wiring

function wire() {
  $('anchor-add').addEventListener('click', () =>
    change('anchor-text', async () => {
      const message = await addAnchors(readAnchors($('anchor-text').value));
      $('anchor-text').value = '';
      return message;
    }),
  );

  $('anchor-url-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const button = $('anchor-fetch');
    change('anchor-url', async () => {
      const url = $('anchor-url').value.trim();
      if (!isRegistryUrl(url)) throw new Problem('error.url');
      button.disabled = true;
      announce(t('options.anchors.fetching'));
      try {
        const message = await addAnchors(readAnchors(await fetchTrustFile(url)));
        $('anchor-url').value = '';
        return message;
      } finally {
        button.disabled = false;
      }
    });
  });

  $('registry-form').addEventListener('submit', (e) => {
    e.preventDefault();
    change('registry-url', async () => {
      const message = await addRegistry($('registry-url').value);
      $('registry-url').value = '';
      return message;
    });
  });

  $('site-form').addEventListener('submit', (e) => {
    e.preventDefault();
    change('site-pattern', async () => {
      const message = await addSite($('site-pattern').value);
      $('site-pattern').value = '';
      return message;
    });
  });

  $('sites-reset').addEventListener('click', () => change(null, resetSites));

  $('lang').addEventListener('change', () => {
    const chosen = $('lang').value;
    change(null, async () => {
      const stored = await loadStored();
      stored.lang = LANGS.includes(chosen) ? chosen : '';
      await saveStored(stored);
      const shown = stored.lang || browserLang();
      applyLanguage(shown);
      return t('options.lang.changed', { language: langName(shown) });
    }).then(() => $('lang').focus());
  });

  for (const id of ['anchor-text', 'anchor-url', 'registry-url', 'site-pattern']) {
    $(id).addEventListener('input', () => {
      if (shownErrors.has(id)) clearError(id);
    });
  }

  // Another window of the options page, or a sync from another browser.
  api.storage.onChanged.addListener((changes, area) => {
    if (area === 'sync' && changes.settings) queue = queue.then(render).catch(() => {});
  });
}

async function start() {
  await loadTables();
  wire();
  await render();
  document.body.dataset.ready = 'true';
}

start();

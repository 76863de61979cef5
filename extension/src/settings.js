// The extension's settings: trust anchors, registries, language and the sites scanned
// automatically. What the user chose is kept in storage.sync under `settings`; what the
// build preset (preset.json, written by `cargo xtask dist`) and the default authority
// list bring is merged in at read time, so a new build's presets reach existing users
// unless they removed them.
//
// Stored shape (storage.sync, key `settings`):
//   { version: 1,
//     anchors: TrustAnchor[],        // added by the user
//     registries: string[],          // added by the user (https, or http on loopback)
//     removed: string[],             // preset anchor ids and registry URLs the user removed
//     lang: '' | 'en' | 'nl' | …,    // '' = the browser's language
//     sites: string[] | null }       // match patterns scanned automatically; null = DEFAULT_SITES

export const LANGS = ['en', 'nl', 'sl', 'lt', 'it', 'es', 'sr-Latn', 'sr-Cyrl'];

/** Profile and badge platforms scanned without a click (match patterns). */
export const DEFAULT_SITES = [
  'https://www.linkedin.com/*',
  'https://www.credly.com/*',
  'https://*.badgr.com/*',
  'https://www.edubadges.nl/*',
  'https://openbadgefactory.com/*',
  'https://openbadgepassport.com/*',
  'https://*.cityoflearning.eu/*',
  'https://*.regionoflearning.eu/*',
  'https://badgequalitylabel.net/*',
  'https://europa.eu/europass/*',
];

const KEY = 'settings';
const MAX_ANCHORS = 20;
const MAX_REGISTRIES = 10;
const MAX_SITES = 100;

const api = globalThis.browser ?? globalThis.chrome;

let presetPromise = null;
/** The build's presets and default authorities: `{anchors, registries}`. */
export function preset() {
  if (!presetPromise) {
    presetPromise = fetch(api.runtime.getURL('preset.json'))
      .then((r) => (r.ok ? r.json() : {}))
      .catch(() => ({}))
      .then((p) => ({
        anchors: Array.isArray(p.anchors) ? p.anchors.filter(isAnchor) : [],
        registries: Array.isArray(p.registries) ? p.registries.filter(isRegistryUrl) : [],
      }));
  }
  return presetPromise;
}

/** A trust anchor as `qlabel authority trust` prints it. */
export function isAnchor(a) {
  return (
    a !== null &&
    typeof a === 'object' &&
    a.type === 'QualityLabelTrustAnchor' &&
    typeof a.id === 'string' &&
    typeof a.name === 'string' &&
    Array.isArray(a.keys) &&
    a.keys.length > 0 &&
    a.keys.every((k) => k && typeof k.id === 'string' && typeof k.publicKeyMultibase === 'string')
  );
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** An https URL, or http on a loopback host (local tests and the demo). */
export function isRegistryUrl(u) {
  try {
    const url = new URL(u);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  } catch {
    return false;
  }
}

/**
 * Parses what a user pastes or a URL answers as trust anchors: one anchor, or an array
 * of them. Throws an Error with a message for people when it is not that.
 */
export function parseAnchors(text) {
  let v;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`not JSON: ${e.message}`);
  }
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0 || !list.every(isAnchor)) {
    throw new Error('not a trust anchor (as `qlabel authority trust` prints it)');
  }
  return list;
}

function clean(stored) {
  const s = stored && typeof stored === 'object' ? stored : {};
  return {
    version: 1,
    anchors: Array.isArray(s.anchors) ? s.anchors.filter(isAnchor).slice(0, MAX_ANCHORS) : [],
    registries: Array.isArray(s.registries) ? s.registries.filter(isRegistryUrl).slice(0, MAX_REGISTRIES) : [],
    removed: Array.isArray(s.removed) ? s.removed.filter((x) => typeof x === 'string') : [],
    lang: typeof s.lang === 'string' && LANGS.includes(s.lang) ? s.lang : '',
    sites: Array.isArray(s.sites) ? s.sites.filter((x) => typeof x === 'string').slice(0, MAX_SITES) : null,
  };
}

/** What is stored (cleaned), without presets. */
export async function loadStored() {
  const got = await api.storage.sync.get(KEY);
  return clean(got[KEY]);
}

/** Stores `stored` (the shape above). */
export async function saveStored(stored) {
  await api.storage.sync.set({ [KEY]: clean(stored) });
}

/**
 * The settings in force: `{anchors: [{anchor, source}], registries: [{url, source}],
 * lang, sites}` with source 'preset' or 'user'.
 */
export async function effective() {
  const [p, s] = await Promise.all([preset(), loadStored()]);
  const anchors = [];
  const seen = new Set();
  for (const [list, source] of [[p.anchors, 'preset'], [s.anchors, 'user']]) {
    for (const anchor of list) {
      if (seen.has(anchor.id) || (source === 'preset' && s.removed.includes(anchor.id))) continue;
      seen.add(anchor.id);
      anchors.push({ anchor, source });
    }
  }
  const registries = [];
  for (const [list, source] of [[p.registries, 'preset'], [s.registries, 'user']]) {
    for (const url of list) {
      if (registries.some((r) => r.url === url) || (source === 'preset' && s.removed.includes(url))) continue;
      registries.push({ url, source });
    }
  }
  return { anchors, registries, lang: s.lang, sites: s.sites ?? DEFAULT_SITES };
}

/** Whether `url` is matched by one of the match patterns (`<scheme>://<host>/<path>`). */
export function matchesSites(url, patterns) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return patterns.some((p) => matchPattern(p, u));
}

function matchPattern(pattern, u) {
  if (pattern === '<all_urls>') return u.protocol === 'https:' || u.protocol === 'http:';
  const m = /^(\*|https?):\/\/(\*|(?:\*\.)?[^/*]+)(\/.*)$/.exec(pattern);
  if (!m) return false;
  const [, scheme, host, path] = m;
  if (scheme === '*' ? !['http:', 'https:'].includes(u.protocol) : u.protocol !== `${scheme}:`) return false;
  if (host !== '*') {
    if (host.startsWith('*.')) {
      const base = host.slice(2);
      if (u.hostname !== base && !u.hostname.endsWith(`.${base}`)) return false;
    } else if ((host.includes(':') ? u.host : u.hostname) !== host) return false;
  }
  const re = new RegExp(`^${path.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(u.pathname + u.search);
}

/** Whether a string is a match pattern the options page may store. */
export function isSitePattern(p) {
  return typeof p === 'string' && p.length <= 200 && (p === '<all_urls>' || /^(\*|https?):\/\/(\*|(?:\*\.)?[^/*]+)\/.*$/.test(p));
}

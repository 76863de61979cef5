// The site's shared code: the language (?lang=, then the stored choice, then the
// browser's), the translated words of the page (data-i18n), the header's navigation and
// language menu, and the deployment's config.json. Pages import `site` and wait for it.

export const LANGS = {
  en: 'English',
  nl: 'Nederlands',
  sl: 'Slovenščina',
  lt: 'Lietuvių',
  it: 'Italiano',
  es: 'Español',
  'sr-Latn': 'Srpski (latinica)',
  'sr-Cyrl': 'Српски (ћирилица)',
};
const STORE = 'qlabel-www-lang';
const PAGES = [
  ['index.html', 'nav.home'],
  ['verify.html', 'nav.verify'],
  ['registry.html', 'nav.registry'],
  ['standard.html', 'nav.standard'],
  ['embed.html', 'nav.embed'],
  ['extension.html', 'nav.extension'],
];

/** The language tag of `tag` among the site's, or null. */
export function match(tag) {
  if (!tag) return null;
  const t = String(tag).trim().toLowerCase();
  const exact = Object.keys(LANGS).find((l) => l.toLowerCase() === t);
  if (exact) return exact;
  const [base] = t.split(/[-_]/);
  if (base === 'sr') return /(^|[-_])cyrl([-_]|$)/.test(t) ? 'sr-Cyrl' : 'sr-Latn';
  return Object.keys(LANGS).find((l) => l === base) ?? null;
}

function stored() {
  try {
    return localStorage.getItem(STORE);
  } catch {
    return null;
  }
}

function pick() {
  const asked = new URLSearchParams(location.search).get('lang');
  return match(asked) ?? match(stored()) ?? (navigator.languages ?? [navigator.language]).map(match).find(Boolean) ?? 'en';
}

async function json(url) {
  const r = await fetch(url, { cache: 'no-cache' });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.json();
}

/** `{name}` placeholders filled in; a missing key shows itself (never HTML). */
function translator(table, fallback) {
  return (key, params = {}) => {
    const text = table[key] ?? fallback[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (all, name) => (name in params ? String(params[name]) : all));
  };
}

/** An element with attributes and children (strings become text nodes). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

/** An http(s) URL as a link; anything else as text. */
export function link(url, text) {
  try {
    const u = new URL(url, location.href);
    if (u.protocol === 'https:' || u.protocol === 'http:') {
      return el('a', { href: u.href, rel: 'noopener noreferrer' }, text ?? u.href);
    }
  } catch {
    /* not a URL */
  }
  return document.createTextNode(text ?? String(url));
}

/** A page-relative URL that keeps the language asked for in the address. */
export function pageUrl(page, params = {}) {
  const q = new URLSearchParams(params);
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked && match(asked)) q.set('lang', match(asked));
  const s = q.toString();
  return s ? `${page}?${s}` : page;
}

function translatePage(t) {
  for (const e of document.querySelectorAll('[data-i18n]')) e.textContent = t(e.dataset.i18n);
  for (const e of document.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of e.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      if (attr && key) e.setAttribute(attr, t(key));
    }
  }
  const title = document.querySelector('title[data-i18n-title]');
  if (title) document.title = `${t(title.dataset.i18nTitle)} · ${t('site.name')}`;
}

function header(t, lang) {
  const here = location.pathname.split('/').pop() || 'index.html';
  const nav = document.getElementById('site-nav');
  if (nav) {
    nav.setAttribute('aria-label', t('nav.label'));
    const ul = el('ul');
    for (const [page, key] of PAGES) {
      const a = el('a', { href: pageUrl(page) }, t(key));
      if (page === here) a.setAttribute('aria-current', 'page');
      ul.append(el('li', {}, a));
    }
    nav.replaceChildren(ul);
  }
  const slot = document.getElementById('lang-slot');
  if (slot) {
    const select = el('select', { id: 'lang-menu', name: 'lang' });
    for (const [code, name] of Object.entries(LANGS)) {
      const o = el('option', { value: code, lang: code }, name);
      if (code === lang) o.selected = true;
      select.append(o);
    }
    select.addEventListener('change', () => {
      try {
        localStorage.setItem(STORE, select.value);
      } catch {
        /* private mode: the address still carries it */
      }
      const u = new URL(location.href);
      u.searchParams.set('lang', select.value);
      location.assign(u.href);
    });
    slot.replaceChildren(el('label', { for: 'lang-menu' }, t('lang.label')), select);
  }
  const brand = document.getElementById('brand');
  if (brand) brand.setAttribute('href', pageUrl('index.html'));
}

async function start() {
  const lang = pick();
  document.documentElement.lang = lang;
  const [en, table, config] = await Promise.all([
    json('i18n/en.json'),
    lang === 'en' ? Promise.resolve(null) : json(`i18n/${lang}.json`).catch(() => null),
    json('config.json').catch(() => ({})),
  ]);
  const t = translator(table ?? en, en);
  translatePage(t);
  header(t, lang);
  // A document in English on a page in another language says so.
  for (const note of document.querySelectorAll('.doc-note')) note.hidden = lang === 'en';
  const cfg = { registry: null, trust: null, ...config };
  for (const k of ['registry', 'trust', 'issuerSite', 'profile', 'demoBadge']) {
    if (typeof cfg[k] === 'string' && cfg[k]) cfg[k] = new URL(cfg[k], new URL('config.json', location.href)).href;
    else cfg[k] = null;
  }
  cfg.demoHolder = typeof cfg.demoHolder === 'string' && cfg.demoHolder ? cfg.demoHolder : null;
  cfg.demo = cfg.demo === true;
  document.documentElement.dataset.ready = 'true';
  return { lang, t, config: cfg };
}

/** Resolves to `{lang, t, config}` once the page is translated and its header built. */
export const site = start();

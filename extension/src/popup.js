// qlabel extension: the popup, the trusted view. It lists every badge found on the tab
// with its status as the service worker holds it — whatever the page did to its marks —
// each shown by the widget's own component (its seal and detail panel). On a site that
// is not scanned automatically, opening the popup (the toolbar button) scans the page.

import initWidget, { Widget } from '../widget/qlabel_widget.js';
import { effective } from './settings.js';

const api = globalThis.browser ?? globalThis.chrome;
const params = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);

let strings = {};
const t = (key, args = {}) => (strings[key] ?? key).replace(/\{(\w+)\}/g, (m, k) => (k in args ? String(args[k]) : m));

async function loadStrings(lang) {
  const tags = [lang, ...(navigator.languages ?? []), 'en'].filter(Boolean);
  for (const tag of tags) {
    const code = tableFor(tag);
    if (!code) continue;
    try {
      const r = await fetch(`../i18n/${code}.json`);
      if (r.ok) {
        strings = await r.json();
        document.documentElement.lang = code;
        return code;
      }
    } catch {
      // try the next
    }
  }
  return 'en';
}

function tableFor(tag) {
  const parts = tag.toLowerCase().split(/[-_]/);
  const p = parts[0];
  if (p === 'sr') return parts.includes('cyrl') ? 'sr-Cyrl' : 'sr-Latn';
  return ['en', 'nl', 'sl', 'lt', 'it', 'es'].includes(p) ? p : null;
}

async function tabId() {
  if (params.has('tab')) return Number(params.get('tab'));
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

const shown = new Map(); // key → {li, widget, status}
let seq = 0;

function safeHref(u) {
  try {
    const url = new URL(u);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

function row(item, lang) {
  const li = document.createElement('li');
  li.className = 'badge';
  li.dataset.key = item.key;
  li.dataset.platform = item.platform;
  const host = document.createElement('qlabel-badge');
  const root = host.attachShadow({ mode: 'open', delegatesFocus: true });
  const widget = new Widget(root, host);
  // The badge's own words (text only): its name and issuer, once verified.
  const title = document.createElement('span');
  title.className = 'title';
  const where = document.createElement('span');
  where.className = 'where';
  const name = t(`platform.${item.platform}`);
  const href = safeHref(item.page ?? item.fetch ?? '');
  if (href) {
    const a = document.createElement('a');
    a.href = href;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    a.textContent = new URL(href).host;
    where.append(`${name} · `, a);
  } else {
    where.textContent = name;
  }
  li.append(title, host, where);
  if (item.linkOnly) {
    const p = document.createElement('p');
    p.className = 'note';
    p.textContent = t('popup.link-only');
    li.append(p);
  }
  return { li, widget, title, status: null, lang };
}

function render(list, lang) {
  const ul = $('badges');
  const keys = new Set(list.items.map((i) => i.key));
  for (const [key, r] of shown) {
    if (!keys.has(key)) {
      r.li.remove();
      shown.delete(key);
    }
  }
  for (const item of list.items) {
    let r = shown.get(item.key);
    if (!r) {
      r = row(item, lang);
      shown.set(item.key, r);
      ul.append(r.li);
    }
    const status = item.status;
    if (r.status === status) continue;
    r.status = status;
    r.li.dataset.status = status;
    const badge = item.report && item.report.badge;
    const words = [badge && badge.name, badge && badge.issuer && (badge.issuer.name || badge.issuer.id)].filter((x) => typeof x === 'string' && x);
    // Each name isolated (<bdi>): the badge's direction marks cannot reorder its issuer's.
    r.title.replaceChildren(...words.flatMap((w, i) => [...(i ? [' — '] : []), Object.assign(document.createElement('bdi'), { textContent: w })]));
    r.title.hidden = words.length === 0;
    const result =
      status === 'loading'
        ? { phase: 'loading' }
        : item.report
          ? { phase: 'done', report: item.report }
          : { phase: 'error', error: item.error ?? { code: 'internal', message: '' } };
    r.widget.update({ kind: 'badge', lang, size: 'small', theme: '', holder: '', result: ++seq, ...result });
  }
  const loading = list.items.filter((i) => i.status === 'loading').length;
  $('summary').textContent = !list.scanned
    ? t('popup.not-scanned')
    : loading
      ? t('popup.scanning')
      : list.items.length
        ? t('popup.count', { count: list.items.length })
        : t('popup.none');
  return loading;
}

async function main() {
  const settings = await effective().catch(() => ({ lang: '' }));
  const lang = await loadStrings(settings.lang);
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  await initWidget({ module_or_path: new URL('../widget/qlabel_widget_bg.wasm', import.meta.url) });
  const id = await tabId();
  if (id === undefined) return;
  const scan = async () => {
    $('summary').textContent = t('popup.scanning');
    const answer = await api.runtime.sendMessage({ type: 'scan-tab', tabId: id }).catch((e) => ({ error: { message: String(e.message ?? e) } }));
    if (answer?.error) $('summary').textContent = answer.error.message;
  };
  $('scan').addEventListener('click', () => {
    shown.clear();
    $('badges').replaceChildren();
    scan().then(poll);
  });
  let first = true;
  async function poll() {
    const list = await api.runtime.sendMessage({ type: 'list', tabId: id });
    if (!list || list.error) return;
    // The toolbar button on a site not scanned automatically: scan now.
    if (first && !list.scanned && !params.has('tab')) {
      first = false;
      await scan();
      return setTimeout(poll, 300);
    }
    first = false;
    const loading = render(list, lang);
    // A page may add badges later (a single-page app): keep listening while open.
    setTimeout(poll, loading ? 300 : 1000);
  }
  poll();
}

main();

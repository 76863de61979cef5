// Registry: every label holder of the configured registry (or ?registry=), listed only
// after its signature has been checked against the configured trust anchors
// (qlabel-wasm's readRegistry). Nothing from the registry is inserted as HTML.
import { site, el, link } from '../site.js';
import { readRegistry } from '../pkg/index.js';

const { lang, t, config } = await site;
const statusLine = document.getElementById('registry-status');
const info = document.getElementById('registry-info');
const filters = document.getElementById('filters');
const search = document.getElementById('search');
const statusFilter = document.getElementById('status-filter');
const list = document.getElementById('holders');
const count = document.getElementById('holders-count');
const page = document.body;

function fmtDate(s) {
  const d = new Date(s);
  if (!s || Number.isNaN(d.getTime())) return s ?? '';
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'medium' }).format(d);
  } catch {
    return s;
  }
}

async function text(url) {
  const r = await fetch(url, { credentials: 'omit' });
  if (!r.ok) throw Object.assign(new Error(`${url}: HTTP ${r.status}`), { code: 'fetch-failed' });
  return r.text();
}

function fail(key, detail) {
  page.dataset.registryState = 'error';
  statusLine.replaceChildren(el('span', { class: 'error' }, t(key)));
  if (detail) info.replaceChildren(el('p', { class: 'hint' }, detail));
}

/** The status that holds now: an active label past its end date has expired. */
function effective(entry, now) {
  if (entry.status === 'active') {
    const end = new Date(entry.validUntil).getTime();
    const start = new Date(entry.validFrom).getTime();
    if (!Number.isNaN(end) && end < now) return 'expired';
    if (!Number.isNaN(start) && start > now) return 'not-yet-valid';
  }
  return entry.status;
}

function item(entry, status) {
  const li = el('li', { 'data-holder-id': entry.holder.id, 'data-status': status });
  li.append(el('h3', {}, entry.holder.name || entry.holder.id));
  const dl = el('dl', { class: 'summary' });
  dl.append(el('dt', {}, t('registry.status')), el('dd', {}, el('span', { class: `st st-${status}` }, t(`status.${status}`))));
  dl.append(el('dt', {}, t('registry.ids')), el('dd', {}, (entry.holder.ids ?? [entry.holder.id]).join(', ')));
  dl.append(el('dt', {}, t('registry.validity')), el('dd', {}, t('registry.from-until', { from: fmtDate(entry.validFrom), until: fmtDate(entry.validUntil) })));
  if (entry.domains && entry.domains.length) dl.append(el('dt', {}, t('registry.domains')), el('dd', {}, entry.domains.join(', ')));
  if (entry.certificate) dl.append(el('dt', {}, t('registry.certificate')), el('dd', {}, link(entry.certificate)));
  li.append(dl);
  return li;
}

async function main() {
  const asked = new URLSearchParams(location.search).get('registry');
  let registryUrl = config.registry;
  if (asked) {
    try {
      registryUrl = new URL(asked, location.href).href;
    } catch {
      return fail('registry.bad-url');
    }
  }
  if (!registryUrl) {
    page.dataset.registryState = 'none';
    statusLine.textContent = t('registry.none');
    return;
  }
  if (!config.trust) return fail('registry.no-trust');
  statusLine.textContent = t('registry.loading');
  let read;
  try {
    const [reg, trust] = await Promise.all([text(registryUrl), text(config.trust)]);
    read = await readRegistry(reg, trust);
  } catch (e) {
    const code = (e && e.code) || 'internal';
    const key = ['untrusted', 'bad-signature', 'fetch-failed'].includes(code) ? `registry.error.${code}` : 'registry.error';
    return fail(key, (e && e.message) || String(e));
  }
  const now = Date.now();
  const entries = read.entries
    .map((e) => ({ e, status: effective(e, now) }))
    .sort((a, b) => (a.e.holder.name || '').localeCompare(b.e.holder.name || '', lang));
  const p = el('p', {}, t('registry.signed', { authority: read.authority.name || read.authority.id, updated: fmtDate(read.updated) }));
  info.replaceChildren(p);
  if (read.stale) info.append(el('p', { class: 'error' }, t('registry.stale', { date: fmtDate(read.nextUpdate) })));
  const items = entries.map(({ e, status }) => ({ li: item(e, status), status, hay: [e.holder.name, ...(e.holder.ids ?? [e.holder.id])].join(' ').toLowerCase() }));
  list.replaceChildren(...items.map((i) => i.li));
  filters.hidden = false;
  const filter = () => {
    const q = search.value.trim().toLowerCase();
    const s = statusFilter.value;
    let shown = 0;
    for (const i of items) {
      const on = (!q || i.hay.includes(q)) && (!s || i.status === s);
      i.li.hidden = !on;
      if (on) shown++;
    }
    count.textContent = t('registry.count', { shown, total: items.length });
  };
  search.addEventListener('input', filter);
  statusFilter.addEventListener('change', filter);
  filter();
  statusLine.textContent = t('registry.verified');
  page.dataset.registryState = 'done';
}

main();

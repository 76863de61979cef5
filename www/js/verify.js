// Verify: a badge dropped, chosen, linked or pasted is verified in this browser with
// qlabel-wasm; the result is shown with the widget's detail view and as plain text.
// Nothing from the badge is ever inserted as HTML.
import { site, el, link } from '../site.js';
import { init, verify } from '../pkg/index.js';
import initWidget, { Widget } from '../widget/qlabel_widget.js';

const { lang, t, config } = await site;
const form = document.getElementById('verify-form');
const fileInput = document.getElementById('file-input');
const urlInput = document.getElementById('url-input');
const pasteInput = document.getElementById('paste-input');
const drop = document.getElementById('drop-zone');
const result = document.getElementById('result');
const statusLine = document.getElementById('result-status');
const widgetSlot = document.getElementById('result-widget');
const summary = document.getElementById('result-summary');

const core = init();
const widgetReady = initWidget({ module_or_path: new URL('../widget/qlabel_widget_bg.wasm', import.meta.url) });
core.catch(() => {});
widgetReady.catch(() => {});

let run = 0;
// Which of the link and the pasted text was touched last (the button verifies it).
let active = 'paste';
urlInput.addEventListener('input', () => (active = 'url'));
pasteInput.addEventListener('input', () => (active = 'paste'));

function options(source) {
  const o = {};
  if (config.trust) o.trust = config.trust;
  if (config.registry) o.registry = config.registry;
  if (source) o.source = source;
  return o;
}

function fmtDate(s) {
  if (!s) return null;
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'long' }).format(d);
  } catch {
    return s;
  }
}

function statusWord(kind, status) {
  return t(`${kind}.${status}`);
}

function row(dl, key, value) {
  if (value === null || value === undefined || value === '') return;
  dl.append(el('dt', {}, t(key)), el('dd', {}, value));
}

function checksList(title, checks) {
  if (!checks || checks.length === 0) return null;
  const ul = el('ul', { class: 'checks' });
  for (const c of checks) {
    ul.append(
      el(
        'li',
        { 'data-check': c.id, 'data-status': c.status },
        el('span', { class: `st st-${c.status}` }, statusWord('check', c.status)),
        ' ',
        el('code', {}, c.id),
        ' — ',
        c.message ?? '',
      ),
    );
  }
  return [el('h3', {}, title), ul];
}

function showWidget(n, state) {
  widgetSlot.replaceChildren();
  const host = el('qlabel-badge', { id: 'result-view' });
  widgetSlot.append(host);
  const root = host.attachShadow({ mode: 'open', delegatesFocus: true });
  widgetReady
    .then(() => {
      if (n !== run) return;
      const w = new Widget(root, host);
      w.update({ kind: 'badge', lang, size: 'large', theme: '', holder: '', result: n, ...state });
    })
    .catch(() => host.remove());
}

function showReport(n, report) {
  const b = report.badge ?? {};
  const l = report.label ?? {};
  result.dataset.badgeStatus = b.status ?? '';
  result.dataset.labelStatus = l.status ?? '';
  result.dataset.state = 'done';
  statusLine.textContent = t('verify.done', { badge: statusWord('badge', b.status), label: statusWord('label', l.status) });
  showWidget(n, { phase: 'done', report });
  const dl = el('dl', { class: 'summary', id: 'result-facts' });
  dl.append(el('dt', {}, t('verify.badge-status')), el('dd', { 'data-field': 'badge-status' }, el('span', { class: `st st-${b.status}` }, statusWord('badge', b.status)), ` (${b.status})`));
  dl.append(el('dt', {}, t('verify.label-status')), el('dd', { 'data-field': 'label-status' }, el('span', { class: `st st-${l.status}` }, statusWord('label', l.status)), ` (${l.status})`));
  row(dl, 'verify.name', b.name);
  // A name is isolated (<bdi>) from the id after it: its direction marks cannot reorder it.
  if (b.issuer) row(dl, 'verify.issuer', b.issuer.name ? [el('bdi', {}, b.issuer.name), ` (${b.issuer.id})`] : b.issuer.id);
  row(dl, 'verify.issued', fmtDate(b.issued));
  row(dl, 'verify.expires', fmtDate(b.expires));
  if (l.holder) row(dl, 'verify.holder', l.holder.name ? [el('bdi', {}, l.holder.name), ` (${l.holder.id})`] : l.holder.id);
  if (l.authority) row(dl, 'verify.authority', l.authority.name ?? l.authority.id);
  if (l.validUntil) row(dl, 'verify.label-until', fmtDate(l.validUntil));
  if (l.certificate) row(dl, 'verify.certificate', link(l.certificate));
  row(dl, 'verify.format', report.input ? [report.input.format, report.input.baked].filter(Boolean).join(', ') : null);
  summary.replaceChildren(
    el('h3', {}, t('verify.summary')),
    dl,
    ...(checksList(t('verify.badge-checks'), b.checks) ?? []),
    ...(checksList(t('verify.label-checks'), l.checks) ?? []),
  );
}

function showError(n, e) {
  const code = (e && e.code) || 'internal';
  const message = (e && e.message) || String(e);
  result.dataset.badgeStatus = 'error';
  result.dataset.labelStatus = '';
  result.dataset.state = 'error';
  result.dataset.error = code;
  const known = ['not-baked', 'unknown-format', 'invalid-json', 'fetch-failed', 'not-an-image', 'too-large', 'not-utf8', 'empty'];
  const text = known.includes(code) ? t(`error.${code}`) : t('error.other');
  statusLine.textContent = text;
  showWidget(n, { phase: 'error', error: { code, message } });
  summary.replaceChildren(el('p', { class: 'error', id: 'result-error' }, text), el('p', { class: 'hint' }, `${code}: ${message}`));
}

/** Whether bytes look like a PNG or an SVG image. */
function isImage(bytes) {
  if (!(bytes instanceof Uint8Array)) return false;
  const png = [0x89, 0x50, 0x4e, 0x47];
  if (png.every((b, i) => bytes[i] === b)) return true;
  const head = new TextDecoder().decode(bytes.subarray(0, 512)).toLowerCase();
  return head.includes('<svg');
}

async function check(input, source) {
  const n = ++run;
  delete result.dataset.badgeStatus;
  delete result.dataset.labelStatus;
  delete result.dataset.error;
  result.dataset.state = 'working';
  statusLine.textContent = t('verify.working');
  summary.replaceChildren();
  widgetSlot.replaceChildren();
  try {
    await core;
    const report = await verify(input, options(source));
    if (n === run) showReport(n, report);
  } catch (e) {
    // An image without a badge in it is "not baked", whatever the reader found.
    const err = e && e.code === 'unknown-format' && isImage(input) ? { code: 'not-baked', message: e.message } : e;
    if (n === run) showError(n, err);
  }
}

async function checkFile(file) {
  if (!file) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  check(bytes, file.name);
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const url = urlInput.value.trim();
  const text = pasteInput.value.trim();
  if (active === 'url' && url) check(url, url);
  else if (text) check(text);
  else if (url) check(url, url);
  else if (fileInput.files && fileInput.files[0]) checkFile(fileInput.files[0]);
  else showError(++run, { code: 'empty', message: 'nothing to verify' });
});
fileInput.addEventListener('change', () => checkFile(fileInput.files && fileInput.files[0]));
for (const ev of ['dragenter', 'dragover']) {
  drop.addEventListener(ev, (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
}
for (const ev of ['dragleave', 'drop']) drop.addEventListener(ev, () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  const file = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
  if (file) checkFile(file);
  else {
    const text = e.dataTransfer && e.dataTransfer.getData('text/plain');
    if (text) {
      pasteInput.value = text;
      active = 'paste';
      check(text.trim());
    }
  }
});

const asked = new URLSearchParams(location.search).get('url');
if (asked) {
  urlInput.value = asked;
  active = 'url';
  check(asked.trim(), asked.trim());
}
document.body.dataset.pageReady = 'true';

// The standard: a printable checklist and the self-assessment worksheet. A badge given
// here is assessed in this browser (qlabel-wasm's assess); nothing is sent anywhere.
import { site, el } from '../site.js';
import { assess } from '../pkg/index.js';

const { t } = await site;
// The criteria `assess` reads from a badge (docs/standard.md, part 2).
const MACHINE = ['I1', 'I2', 'I3', 'B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B8', 'B9', 'B10', 'B11', 'A1', 'A2', 'A4', 'A7', 'I6'];
// What only people judge (docs/standard.md, part 1, and the H criteria).
const HUMAN = ['account', 'values', 'six-months', 'training', 'competence', 'examples', 'qa-plan', 'outcomes', 'assessment', 'descriptions'];

const results = document.getElementById('assess-results');
const human = document.getElementById('human-criteria');
const summary = document.getElementById('assess-summary');
const error = document.getElementById('assess-error');
const nameLine = document.getElementById('assess-name');
const input = document.getElementById('assess-input');
const fileInput = document.getElementById('assess-file');
const drop = document.getElementById('assess-drop');
let assessed = null;

function machineRows(criteria) {
  const byId = new Map((criteria ?? []).map((c) => [c.id, c]));
  const ids = [...MACHINE, ...[...byId.keys()].filter((id) => !MACHINE.includes(id))];
  results.replaceChildren(
    ...ids.map((id) => {
      const c = byId.get(id);
      const status = c ? c.status : 'pending';
      const li = el('li', { 'data-criterion': id, 'data-status': status });
      li.append(el('span', { class: 'crit-id' }, id), ' ', t(`crit.${id}`), ' ');
      li.append(el('span', { class: `st st-${status}` }, c ? t(`assess.${status}`) : '☐'));
      if (c && c.message) li.append(el('span', { class: 'crit-msg' }, c.message));
      return li;
    }),
  );
}

function humanRows() {
  human.replaceChildren(
    ...HUMAN.map((id) => {
      const box = el('input', { type: 'checkbox', id: `human-${id}`, 'data-criterion': id });
      box.addEventListener('change', count);
      return el('li', {}, box, el('label', { for: `human-${id}` }, t(`human.${id}`)));
    }),
  );
}

function count() {
  const ticked = human.querySelectorAll('input:checked').length;
  const s = assessed ? assessed.summary : null;
  const pass = s ? s.pass : 0;
  const applicable = s ? s.pass + s.fail + s['needs-human-review'] : 0;
  summary.textContent = assessed
    ? t('assess.summary', { met: pass + ticked, total: applicable + HUMAN.length, pass, fail: s.fail, review: s['needs-human-review'], ticked, human: HUMAN.length })
    : t('assess.summary.human', { ticked, human: HUMAN.length });
  summary.dataset.met = String(pass + ticked);
}

async function run(value) {
  error.textContent = '';
  summary.dataset.state = 'working';
  try {
    assessed = await assess(value);
    nameLine.textContent = assessed.name ? t('assess.of', { name: assessed.name }) : '';
    machineRows(assessed.criteria);
    summary.dataset.state = 'done';
  } catch (e) {
    assessed = null;
    machineRows(null);
    nameLine.textContent = '';
    error.textContent = t('assess.error', { message: (e && e.message) || String(e) });
    summary.dataset.state = 'error';
  }
  count();
}

async function runFile(file) {
  if (file) run(new Uint8Array(await file.arrayBuffer()));
}

machineRows(null);
humanRows();
count();
document.getElementById('assess-button').addEventListener('click', () => {
  const v = input.value.trim();
  if (v) run(v);
  else if (fileInput.files && fileInput.files[0]) runFile(fileInput.files[0]);
  else error.textContent = t('error.empty');
});
fileInput.addEventListener('change', () => runFile(fileInput.files && fileInput.files[0]));
drop.addEventListener('dragover', (e) => e.preventDefault());
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  const f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
  if (f) runFile(f);
});
document.getElementById('print-checklist').addEventListener('click', () => {
  document.body.classList.add('print-checklist');
  window.print();
});
window.addEventListener('afterprint', () => document.body.classList.remove('print-checklist'));
document.body.dataset.pageReady = 'true';

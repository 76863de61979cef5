// The extension's own text: the tables in extension/i18n/ (options page, popup, marks)
// pass the checks the widget's tables pass (widget/tests/i18n.rs): every language has
// exactly the keys of en.json, written once, non-empty, the same {placeholders}, no
// markup, Serbian Latin and Cyrillic kept apart; they are translations, not copies of
// English; every key the options page uses (data-i18n in options.html, t('…') in
// options.js) is in en.json. And the browser's own strings (extension/_locales/*/
// messages.json) have the manifest's keys in every locale, within the stores' lengths.

import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ext = path.join(root, 'extension');
const i18nDir = path.join(ext, 'i18n');
const LANGS = ['en', 'nl', 'sl', 'lt', 'it', 'es', 'sr-Latn', 'sr-Cyrl'];
const LOCALES = ['en', 'nl', 'sl', 'lt', 'it', 'es', 'sr'];

/** The values the extension fills placeholders with. */
const PLACEHOLDERS = [
  'name',
  'url',
  'pattern',
  'language',
  'status',
  'reason',
  'count',
  'issuer',
];

/** Keys whose value is a proper name, the same in every language. */
const NAMES = [
  'platform.credly',
  'platform.badgr',
  'platform.edubadges',
  'platform.obf',
  'platform.obp',
  'platform.cities-of-learning',
  'platform.europass',
  'platform.generic',
];

/** What the Cyrillic table may write in Latin letters: names, codes and addresses. */
const LATIN_TOKENS = /https?:\/\/\S+|\bhttps?\b|qlabel|JSON|KiB|localhost/g;

/** The popup's keys the lead asked for by name. */
const REQUIRED = [
  'meta.language',
  'popup.title',
  'popup.scan',
  'popup.scanning',
  'popup.none',
  'popup.not-scanned',
  'popup.options',
  'popup.count',
  'popup.trusted-view',
  'popup.link-only',
  'detail.close',
  'mark.summary',
  'mark.open',
  ...NAMES,
  'platform.baked',
  'platform.inline',
];

function report(problems) {
  assert.ok(problems.length === 0, `${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
}

/** The keys of a flat JSON object as written, duplicates included (JSON.parse keeps the last). */
function writtenKeys(text) {
  const keys = [];
  const re = /"((?:[^"\\]|\\.)*)"\s*:/g;
  let m;
  while ((m = re.exec(text))) keys.push(m[1]);
  return keys;
}

function load(lang) {
  const text = fs.readFileSync(path.join(i18nDir, `${lang}.json`), 'utf8');
  assert.ok(!text.startsWith('\ufeff'), `${lang}.json starts with a byte-order mark`);
  const v = JSON.parse(text);
  assert.ok(v && typeof v === 'object' && !Array.isArray(v), `${lang}.json is not a JSON object`);
  for (const [k, s] of Object.entries(v)) assert.equal(typeof s, 'string', `${lang}.json: ${k} is not a string`);
  return v;
}

const tables = Object.fromEntries(LANGS.map((l) => [l, load(l)]));
const en = tables.en;

/** The `{name}` placeholders of a value, in order; throws on a stray brace. */
function placeholders(value) {
  const names = [];
  let rest = value;
  for (;;) {
    const open = rest.search(/[{}]/);
    if (open < 0) return names;
    if (rest[open] === '}') throw new Error("a '}' without '{'");
    const close = rest.indexOf('}', open);
    if (close < 0) throw new Error("an unclosed '{'");
    const name = rest.slice(open + 1, close);
    if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`{${name}} is not a placeholder name`);
    names.push(name);
    rest = rest.slice(close + 1);
  }
}

const textOnly = (value) => value.replace(/\{[a-z0-9-]+\}/g, '');
const isCyrillic = (c) => /[\u0400-\u052f]/.test(c);
const isLatin = (c) => /[A-Za-z\u00c0-\u024f\u1e00-\u1eff]/.test(c);

test('every table file is one of the eight languages', () => {
  const files = fs.readdirSync(i18nDir).filter((f) => f.endsWith('.json'));
  report(files.filter((f) => !LANGS.includes(f.slice(0, -5))).map((f) => `${f} is none of ${LANGS.join(', ')}`));
  report(LANGS.filter((l) => !files.includes(`${l}.json`)).map((l) => `${l}.json is missing`));
});

test('no key is written twice', () => {
  const problems = [];
  for (const lang of LANGS) {
    const seen = new Set();
    for (const k of writtenKeys(fs.readFileSync(path.join(i18nDir, `${lang}.json`), 'utf8'))) {
      if (seen.has(k)) problems.push(`${lang}.json: ${k} is written twice`);
      seen.add(k);
    }
  }
  report(problems);
});

test('every language has exactly the keys of English, and English the popup keys', () => {
  const problems = REQUIRED.filter((k) => !(k in en)).map((k) => `en.json lacks ${k}`);
  for (const lang of LANGS) {
    for (const k of Object.keys(en)) if (!(k in tables[lang])) problems.push(`${lang}.json lacks ${k}`);
    for (const k of Object.keys(tables[lang])) if (!(k in en)) problems.push(`${lang}.json has ${k}, which en.json lacks`);
  }
  report(problems);
});

test('no value is empty, padded or broken over lines', () => {
  const problems = [];
  for (const lang of LANGS) {
    for (const [k, v] of Object.entries(tables[lang])) {
      if (!v.trim()) problems.push(`${lang}: ${k} is empty`);
      else if (v.trim() !== v) problems.push(`${lang}: ${k} has leading or trailing space`);
      if (/[\u0000-\u001f\u007f]/.test(v)) problems.push(`${lang}: ${k} holds a control character`);
    }
  }
  report(problems);
});

test('placeholders are well formed, known, and the same as in English', () => {
  const problems = [];
  for (const [k, v] of Object.entries(en)) {
    for (const name of placeholders(v)) {
      if (!PLACEHOLDERS.includes(name)) problems.push(`en: ${k}: {${name}} is none of ${PLACEHOLDERS.join(', ')}`);
    }
  }
  for (const lang of LANGS) {
    for (const [k, v] of Object.entries(tables[lang])) {
      let got;
      try {
        got = placeholders(v);
      } catch (e) {
        problems.push(`${lang}: ${k}: ${e.message} in ${JSON.stringify(v)}`);
        continue;
      }
      if (!(k in en)) continue;
      const want = placeholders(en[k]).sort();
      if (JSON.stringify(got.sort()) !== JSON.stringify(want)) {
        problems.push(`${lang}: ${k}: placeholders ${got.join(',')}, en has ${want.join(',')}`);
      }
    }
  }
  report(problems);
});

test('no markup characters', () => {
  const problems = [];
  for (const lang of LANGS) {
    for (const [k, v] of Object.entries(tables[lang])) if (/[<>]/.test(v)) problems.push(`${lang}: ${k} contains '<' or '>'`);
  }
  report(problems);
});

test('each language names itself, differently', () => {
  const names = LANGS.map((l) => tables[l]['meta.language']);
  assert.equal(new Set(names).size, LANGS.length, `meta.language: ${names.join(', ')}`);
  assert.equal(en['meta.language'], 'English');
});

test('the tables are translations, not copies of English', () => {
  const problems = [];
  for (const lang of LANGS.filter((l) => l !== 'en')) {
    for (const [k, v] of Object.entries(tables[lang])) {
      // Short values may legitimately match (a word both languages share): only names may
      // be identical, and sentences never.
      if (v === en[k] && !NAMES.includes(k) && v.split(/\s+/).length > 2) problems.push(`${lang}: ${k} is the English text`);
    }
    const same = Object.keys(en).filter((k) => tables[lang][k] === en[k] && !NAMES.includes(k));
    if (same.length > 3) problems.push(`${lang}: ${same.length} values are the English text: ${same.join(', ')}`);
  }
  report(problems);
});

test('Serbian Cyrillic is Cyrillic, Serbian Latin is Latin', () => {
  const problems = [];
  for (const [k, v] of Object.entries(tables['sr-Cyrl'])) {
    if (NAMES.includes(k)) continue;
    const text = textOnly(v).replace(LATIN_TOKENS, '');
    if (![...text].some(isCyrillic)) problems.push(`sr-Cyrl: ${k} has no Cyrillic letter: ${JSON.stringify(v)}`);
    const latin = [...text].filter(isLatin).join('');
    if (latin) problems.push(`sr-Cyrl: ${k} has Latin letters (${latin}): ${JSON.stringify(v)}`);
  }
  for (const [k, v] of Object.entries(tables['sr-Latn'])) {
    if ([...v].some(isCyrillic)) problems.push(`sr-Latn: ${k} has Cyrillic letters: ${JSON.stringify(v)}`);
  }
  report(problems);
});

test('every key the options page uses is in en.json', () => {
  const html = fs.readFileSync(path.join(ext, 'src/options.html'), 'utf8');
  const js = fs.readFileSync(path.join(ext, 'src/options.js'), 'utf8');
  const used = new Set();
  for (const m of html.matchAll(/data-i18n="([^"]+)"/g)) used.add(m[1]);
  // t('key'), new Problem('key'), and the keys named in string literals of the table's shape.
  for (const m of js.matchAll(/['"`]((?:options|error|popup|meta|mark|detail|platform)\.[a-z0-9.-]+)['"`]/g)) used.add(m[1]);
  assert.ok(used.size > 30, `only ${used.size} keys found: the scan is broken`);
  report([...used].filter((k) => !(k in en)).map((k) => `${k} is used but not in en.json`));
});

test('the options page builds no HTML from strings', () => {
  const js = fs.readFileSync(path.join(ext, 'src/options.js'), 'utf8');
  for (const sink of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(', 'new Function']) {
    assert.ok(!js.includes(sink), `options.js uses ${sink}`);
  }
});

test("the browser's strings: the manifest's keys in every locale, within the stores' lengths", () => {
  const problems = [];
  const dirs = fs.readdirSync(path.join(ext, '_locales'));
  for (const d of dirs) if (!LOCALES.includes(d)) problems.push(`_locales/${d} is none of ${LOCALES.join(', ')}`);
  const english = JSON.parse(fs.readFileSync(path.join(ext, '_locales/en/messages.json'), 'utf8'));
  for (const locale of LOCALES) {
    const file = path.join(ext, '_locales', locale, 'messages.json');
    if (!fs.existsSync(file)) {
      problems.push(`${file} is missing`);
      continue;
    }
    const m = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const key of ['extName', 'extDescription', 'actionTitle']) {
      const msg = m[key]?.message;
      if (typeof msg !== 'string' || !msg.trim()) problems.push(`${locale}: ${key} has no message`);
      else if (locale !== 'en' && key !== 'extName' && msg === english[key].message) problems.push(`${locale}: ${key} is English`);
    }
    for (const k of Object.keys(m)) if (!(k in english)) problems.push(`${locale}: ${k} is not in en`);
    if ((m.extName?.message ?? '').length > 75) problems.push(`${locale}: extName is longer than 75 characters`);
    if ((m.extDescription?.message ?? '').length > 132) problems.push(`${locale}: extDescription is longer than 132 characters`);
    if (/\$/.test(JSON.stringify(m))) problems.push(`${locale}: a '$' would be read as a placeholder`);
  }
  const sr = JSON.parse(fs.readFileSync(path.join(ext, '_locales/sr/messages.json'), 'utf8'));
  // Chromium's and Firefox's "sr" is Serbian in Cyrillic.
  for (const [k, { message }] of Object.entries(sr)) {
    if (![...message].some(isCyrillic)) problems.push(`sr: ${k} is not in Cyrillic`);
  }
  report(problems);
});

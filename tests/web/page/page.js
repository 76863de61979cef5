// The test page: imports qlabel-wasm as an ES module, as a site would, and offers the
// test (driving it through Playwright) a few functions. Results are shown on the page.

import * as q from '/pkg/index.js';

const fromBase64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const $ = (id) => document.getElementById(id);
const shown = { cases: 0, mismatches: 0 };

async function outcome(promise) {
  try {
    return { report: await promise };
  } catch (e) {
    if (e && typeof e.code === 'string') return { error: e.code, message: e.message, isQlabelError: e instanceof q.QlabelError };
    return { error: 'thrown', message: String(e && e.message ? e.message : e) };
  }
}

window.qlabel = {
  ready: q.init().then(() => true),

  /** verify() on base64 bytes with the browser's own fetch (no `fetch` option). */
  async replay(input, options) {
    await q.clearCache();
    return outcome(q.verify(fromBase64(input), options));
  },

  /** verify() on text (a credential or a URL). */
  async verifyText(text, options) {
    await q.clearCache();
    const started = performance.now();
    const o = await outcome(q.verify(text, options));
    o.ms = performance.now() - started;
    return o;
  },

  rdfcLoaded: () => q.rdfcLoaded(),

  /** Shows one replayed case. */
  showCase(name, ok, detail) {
    shown.cases += 1;
    if (!ok) shown.mismatches += 1;
    const div = document.createElement('div');
    div.className = ok ? 'ok' : 'bad';
    div.textContent = `${ok ? '✓' : '✗'} ${detail}  ${name.slice(0, 4)}…/${name.split('/').slice(-2).join('/')}`;
    div.title = name;
    $('cases').append(div);
    $('summary').textContent = `${shown.cases} vector cases replayed through verify() with the browser's fetch: ${shown.cases - shown.mismatches} same verdict as native, ${shown.mismatches} different`;
  },

  /** Shows one fault. */
  showFault(what, status, message, ok) {
    const tr = document.createElement('tr');
    for (const [text, cls] of [[what], [status], [message], [ok ? 'as expected' : 'WRONG', ok ? 'ok' : 'bad']]) {
      const td = document.createElement('td');
      td.textContent = text;
      if (cls) td.className = cls;
      tr.append(td);
    }
    $('faults').querySelector('tbody').append(tr);
  },
};

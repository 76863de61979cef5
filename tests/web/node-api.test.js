// qlabel-wasm's JavaScript API in Node: stable error codes, every input type, extract()
// on a baked image, offline mode.

import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pkgUrl, root, bake, badgeWithStatus, statusList } from './support.js';

const q = await import(pkgUrl);
const sample = (name) => fs.readFileSync(path.join(root, 'samples', name));
const jcsText = sample('ob3-jcs.json').toString('utf8');
const AT = '2026-06-01T00:00:00Z';

async function rejectsWith(promise, code) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof q.QlabelError, `not a QlabelError: ${e}`);
    assert.ok(e instanceof Error);
    assert.equal(e.code, code, `code ${e.code} (${e.message}), expected ${code}`);
    assert.ok(e.message.length > 0);
    return true;
  });
}

test('errors carry stable codes', async () => {
  await rejectsWith(q.verify(42), 'bad-input');
  await rejectsWith(q.verify({ not: 'bytes' }), 'bad-input');
  await rejectsWith(q.verify('{"@context": [', { at: AT }), 'invalid-json');
  await rejectsWith(q.verify('this is not a badge', { at: AT }), 'invalid-json');
  await rejectsWith(q.verify(jcsText, { colour: 'blue' }), 'bad-options');
  await rejectsWith(q.verify(jcsText, { at: 'the day after tomorrow' }), 'bad-options');
  await rejectsWith(q.verify(jcsText, 'offline'), 'bad-options');
  await rejectsWith(q.verify('[1, 2, 3]', { at: AT }), 'unknown-format');
  await rejectsWith(q.extract(new TextEncoder().encode('not an image')), 'not-an-image');
  await rejectsWith(q.extract(sample('blank-badge.png')), 'not-baked');
});

test('a string, Uint8Array, ArrayBuffer, DataView and Blob give the same report', async () => {
  const bytes = new Uint8Array(sample('ob3-jcs.json'));
  const inputs = {
    string: jcsText,
    Uint8Array: bytes,
    ArrayBuffer: bytes.slice().buffer,
    DataView: new DataView(bytes.slice().buffer),
    Blob: new Blob([bytes], { type: 'application/json' }),
  };
  const reports = {};
  for (const [kind, input] of Object.entries(inputs)) {
    const r = await q.verify(input, { at: AT, offline: true });
    assert.equal(r.schema, 'qlabel-report/1', kind);
    assert.equal(r.badge.status, 'valid', `${kind}: ${JSON.stringify(r.badge.checks)}`);
    assert.equal(r.input.format, 'ob3-jsonld', kind);
    reports[kind] = r;
  }
  for (const kind of Object.keys(inputs)) assert.deepEqual(reports[kind], reports.string, kind);
  // The same bytes, tampered: the proof fails whatever the input type.
  const tampered = new Blob([sample('ob3-tampered.json')]);
  const r = await q.verify(tampered, { at: AT, offline: true });
  assert.equal(r.badge.status, 'invalid');
  assert.equal(r.badge.checks.find((c) => c.id === 'proof').status, 'fail');
});

test('a URL input is fetched with the given fetch, and is the report source', async () => {
  const url = 'https://badges.example.org/credentials/teamwork-0001';
  const asked = [];
  const fetch = async (u, init) => {
    asked.push({ url: u, accept: new Headers(init?.headers).get('accept') });
    return u === url
      ? new Response(jcsText, { headers: { 'content-type': 'application/ld+json' } })
      : new Response('gone', { status: 404 });
  };
  for (const input of [new URL(url), url]) {
    asked.length = 0;
    const r = await q.verify(input, { at: AT, fetch });
    assert.equal(r.badge.status, 'valid', JSON.stringify(r.badge.checks));
    assert.equal(r.input.source, url);
    assert.deepEqual(r.input.fetched.map((f) => f.url), [url]);
    assert.equal(asked.length, 1);
    assert.match(asked[0].accept, /application\/ld\+json/);
  }
  // A URL that answers 404: unverifiable, and the check says why.
  const r = await q.verify('https://badges.example.org/credentials/missing', { at: AT, fetch });
  assert.equal(r.badge.status, 'unverifiable');
  assert.ok(r.badge.checks.some((c) => c.unverifiable && /answered HTTP 404/.test(c.message)), JSON.stringify(r.badge.checks));
});

test('extract() finds the badge baked into a PNG and an SVG; verify() reads the images', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qlabel-web-'));
  try {
    for (const [image, kind] of [['blank-badge.png', 'png'], ['blank-badge.svg', 'svg']]) {
      const baked = bake(path.join(root, 'samples/ob3-jcs.json'), path.join(root, 'samples', image), path.join(dir, image));
      const found = await q.extract(baked);
      assert.equal(found.kind, kind);
      assert.deepEqual(JSON.parse(found.payload), JSON.parse(jcsText));
      const asBlob = await q.extract(new Blob([baked]));
      assert.deepEqual(asBlob, found);
      const r = await q.verify(baked, { at: AT, offline: true });
      assert.equal(r.badge.status, 'valid', JSON.stringify(r.badge.checks));
      assert.equal(r.input.baked, kind);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('offline: what needs a fetch is unverifiable, and nothing is fetched', async () => {
  const listUrl = 'https://status.example.org/lists/offline';
  const badge = JSON.stringify(badgeWithStatus(listUrl));
  const list = JSON.stringify(statusList(listUrl, [7]));
  const asked = [];
  const fetch = async (u) => {
    asked.push(u);
    return new Response(list, { headers: { 'content-type': 'application/json' } });
  };
  await q.clearCache();
  const online = await q.verify(badge, { at: AT, fetch });
  assert.equal(online.badge.status, 'revoked', JSON.stringify(online.badge.checks));
  assert.deepEqual(asked, [listUrl]);

  await q.clearCache();
  asked.length = 0;
  const offline = await q.verify(badge, { at: AT, fetch, offline: true });
  assert.deepEqual(asked, [], 'offline verification fetched');
  assert.equal(offline.badge.status, 'unverifiable');
  const status = offline.badge.checks.find((c) => c.id === 'status');
  assert.equal(status.unverifiable, true, JSON.stringify(status));
  assert.match(status.message, /offline/);
  assert.equal(offline.label.status, 'not-evaluated');

  // A hosted badge's URL offline: unverifiable, never an error.
  const r = await q.verify('https://badges.example.org/assertions/42', { at: AT, offline: true });
  assert.equal(r.badge.status, 'unverifiable');
});

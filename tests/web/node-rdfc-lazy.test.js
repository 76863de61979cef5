// The second module (RDF canonicalization) loads only for credentials that need it
// (eddsa-rdfc-2022, Ed25519Signature2020). `node --test` runs each file in a process of
// its own, so this one starts with nothing loaded (node-rdfc-legacy.test.js is the
// Ed25519Signature2020 half).

import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pkgUrl, root, loadPlan, fromBase64, optionsOf, publicExpectation, planFetch, badgeWithStatus, statusList, suites } from './support.js';

const q = await import(pkgUrl);
const AT = '2026-06-01T00:00:00Z';
const sample = (name) => fs.readFileSync(path.join(root, 'samples', name), 'utf8');

test('jcs credentials, VC-JWTs and OB 2.0 verify without the RDF module; an rdfc one loads it', async () => {
  assert.equal(q.rdfcLoaded(), false, 'loaded before anything was verified');
  await q.init();
  assert.equal(q.rdfcLoaded(), false, 'init() loaded the RDF module');

  const jcs = await q.verify(sample('ob3-jcs.json'), { at: AT, offline: true });
  assert.equal(jcs.badge.status, 'valid');
  const forged = JSON.parse(sample('ob3-jcs.json'));
  forged.name = 'Leadership';
  const tampered = await q.verify(JSON.stringify(forged), { at: AT, offline: true });
  assert.equal(tampered.badge.status, 'invalid');
  assert.equal(tampered.badge.checks.find((c) => c.id === 'proof').status, 'fail');
  // A jcs badge whose jcs status list is fetched.
  const listUrl = 'https://status.example.org/lists/lazy';
  const list = JSON.stringify(statusList(listUrl, []));
  const withStatus = await q.verify(JSON.stringify(badgeWithStatus(listUrl)), {
    at: AT,
    fetch: async () => new Response(list, { headers: { 'content-type': 'application/json' } }),
  });
  assert.equal(withStatus.badge.status, 'valid', JSON.stringify(withStatus.badge.checks));

  // Every plan case signed with eddsa-jcs-2022 only, and every VC-JWT and OB 2.0 one
  // (as native found them), on its web.
  const chosen = loadPlan().filter((c) => {
    const s = suites(fromBase64(c.input));
    if (s && s.length > 0 && s.every((x) => x === 'eddsa-jcs-2022')) return true;
    return !c.native.error && !c.native.baked && ['ob3-jwt', 'ob2-hosted', 'ob2-signed'].includes(c.native.format);
  });
  assert.ok(chosen.length >= 30, `only ${chosen.length} such cases in the plan`);
  for (const c of chosen) {
    const { web } = publicExpectation(c);
    await q.verify(fromBase64(c.input), { ...optionsOf(c), fetch: planFetch(web).fetch });
  }
  assert.equal(q.rdfcLoaded(), false, `verifying ${chosen.length} credentials that need no RDF loaded the RDF module`);

  const rdfc = await q.verify(sample('ob3-rdfc.json'), { at: AT, offline: true });
  assert.equal(rdfc.badge.status, 'valid', JSON.stringify(rdfc.badge.checks));
  assert.equal(q.rdfcLoaded(), true, 'an eddsa-rdfc-2022 credential did not load the RDF module');
});

// In a fresh process: an Ed25519Signature2020 credential (and nothing else) loads the
// RDF canonicalization module, and verifies with it.

import test from 'node:test';
import assert from 'node:assert/strict';
import { pkgUrl, loadPlan, fromBase64, optionsOf, publicExpectation, planFetch, suites } from './support.js';

const q = await import(pkgUrl);

test('an Ed25519Signature2020 credential loads the RDF module', async () => {
  const c = loadPlan().find((x) => {
    const s = suites(fromBase64(x.input));
    return x.native.badge === 'valid' && s?.length === 1 && s[0] === 'Ed25519Signature2020';
  });
  assert.ok(c, 'no valid Ed25519Signature2020 case in the plan');
  assert.equal(q.rdfcLoaded(), false);
  const { web } = publicExpectation(c);
  const r = await q.verify(fromBase64(c.input), { ...optionsOf(c), fetch: planFetch(web).fetch });
  assert.equal(r.badge.status, 'valid', `${c.name}: ${JSON.stringify(r.badge.checks)}`);
  assert.equal(q.rdfcLoaded(), true, `${c.name} did not load the RDF module`);
});

// Harness self-check: Digital Bazaar signs, Digital Bazaar verifies.
//
// Needs no qlabel binary. If this fails, the problem is in the test harness
// (document loader, contexts, suites), not in qlabel.

import assert from 'node:assert/strict';
import {describe, it} from 'node:test';

import {
  KINDS, OB_CONTEXT_FILE, SUITES, dbGenerateDidKey, dbIssue, dbVerify,
  documentLoader, summarizeDbResult, tamper
} from './support.js';

describe('harness self-check (DB signs, DB verifies)', () => {
  it('document loader is offline and knows the contexts', async t => {
    t.diagnostic(`OB 3.0.3 context read from ${OB_CONTEXT_FILE}`);
    for(const url of [
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      'https://w3id.org/security/data-integrity/v2',
      'https://w3id.org/security/multikey/v1'
    ]) {
      const {document} = await documentLoader(url);
      assert.ok(document && document['@context'], `no context for ${url}`);
    }
    await assert.rejects(
      documentLoader('https://example.org/not-a-local-context'),
      /no local document/);
  });

  for(const suite of Object.keys(SUITES)) {
    for(const [kindName, kind] of Object.entries(KINDS)) {
      it(`${SUITES[suite]}: ${kind.label} round-trips in DB`, async () => {
        const key = await dbGenerateDidKey();
        const credential = kind.make(key.controller);
        const signed = await dbIssue({credential, suite, key});
        assert.equal(signed.proof?.cryptosuite, SUITES[suite]);

        const ok = await dbVerify({credential: signed, suite});
        assert.equal(ok.verified, true,
          `DB did not verify its own ${kindName} credential:\n` +
          `${summarizeDbResult(ok)}\n--- credential ---\n` +
          JSON.stringify(signed, null, 2));

        const bad = await dbVerify(
          {credential: tamper(signed, kind.tamperPath), suite});
        assert.equal(bad.verified, false,
          'DB verified a tampered credential');
      });
    }
  }
});

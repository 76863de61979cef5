// 1. qlabel signs, Digital Bazaar verifies.
//
// For each suite (rdfc, jcs) and each credential kind (OB 3.0
// OpenBadgeCredential, plain VC 2.0): a key made by `qlabel key generate`,
// a credential issued by that key's did:key and signed by `qlabel sign`;
// `@digitalbazaar/vc` verifyCredential must accept it, and must reject a copy
// with one character flipped.

import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';

import {
  AT, CREATED, KINDS, SUITES, dbVerify, makeTempDir, qlabelKeyGenerate,
  qlabelSign, readJson, summarizeDbResult, tamper
} from './support.js';

describe('qlabel signs, Digital Bazaar verifies', () => {
  let tmp;
  let keyFile;
  let key;

  before(() => {
    tmp = makeTempDir();
    keyFile = qlabelKeyGenerate(tmp);
    key = readJson(keyFile);
  });
  after(() => tmp?.cleanup());

  for(const suite of Object.keys(SUITES)) {
    for(const [kindName, kind] of Object.entries(KINDS)) {
      describe(`${SUITES[suite]}: ${kind.label}`, () => {
        let signed;
        let signRun;

        before(() => {
          const input = kind.make(key.controller);
          const inputFile = tmp.writeJson(`input-${suite}-${kindName}.json`,
            input);
          ({signed, run: signRun} = qlabelSign({tmp, keyFile, suite, inputFile}));
        });

        const context = () =>
          `--- qlabel key file (public part) ---\n` +
          JSON.stringify({...key, secretKeyMultibase: '<redacted>'}, null, 2) +
          `\n--- qlabel sign: ${signRun?.cmd} ---\n` +
          `stderr: ${signRun?.stderr || '(empty)'}\n` +
          `--- credential signed by qlabel ---\n` +
          JSON.stringify(signed, null, 2);

        it('DB verifyCredential reports verified', async () => {
          const result = await dbVerify({credential: signed, suite});
          assert.equal(result.verified, true,
            `DB did not verify the qlabel-signed credential (now=${AT}):\n` +
            `--- DB result ---\n${summarizeDbResult(result)}\n${context()}`);
        });

        it('DB rejects the copy with one character flipped', async () => {
          const tampered = tamper(signed, kind.tamperPath);
          const result = await dbVerify({credential: tampered, suite});
          assert.equal(result.verified, false,
            `DB verified a tampered credential ` +
            `(${kind.tamperPath.join('.')} changed):\n` +
            JSON.stringify(tampered, null, 2));
        });

        it('proof has the contracted shape', () => {
          const {proof} = signed;
          assert.ok(proof && typeof proof === 'object' && !Array.isArray(proof),
            `expected one proof object:\n${context()}`);
          const expected = {
            type: 'DataIntegrityProof',
            cryptosuite: SUITES[suite],
            created: CREATED,
            verificationMethod: key.id,
            proofPurpose: 'assertionMethod'
          };
          for(const [k, v] of Object.entries(expected)) {
            assert.equal(proof[k], v, `proof.${k}:\n${context()}`);
          }
          assert.match(proof.proofValue, /^z[1-9A-HJ-NP-Za-km-z]+$/,
            `proof.proofValue is not base58btc multibase:\n${context()}`);
          if(suite === 'jcs') {
            assert.deepEqual(proof['@context'], signed['@context'],
              `jcs proof.@context must equal the document's:\n${context()}`);
          }
          // the rest of the credential is what was signed
          const {proof: _, ...rest} = signed;
          assert.deepEqual(rest, kind.make(key.controller),
            `qlabel changed the credential besides adding a proof:\n` +
            context());
        });
      });
    }
  }
});

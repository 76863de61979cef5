// 2. Digital Bazaar signs, qlabel verifies.
//
// For each suite (rdfc, jcs) and each credential kind (OB 3.0
// OpenBadgeCredential, plain VC 2.0, VC 2.0 with language and base direction): Digital Bazaar makes an Ed25519
// Multikey controlled by its did:key and issues the credential with
// `@digitalbazaar/vc` issue(); `qlabel verify --json` must find it valid
// (exit 0, proof and key-binding pass), and a copy with one character flipped
// invalid (exit 1, proof fail).

import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';

import {
  AT, KINDS, SUITES, dbGenerateDidKey, dbIssue, describeRun, findCheck,
  makeTempDir, qlabelVerify, tamper
} from './support.js';

// A fixed seed, so that a failure can be replayed byte for byte.
const SEED = new Uint8Array(32).map((_, i) => (i * 7 + 11) & 0xff);

function explain({run, report}, credential) {
  return describeRun(run,
    (report ? '' : '(stdout is not JSON)\n') +
    `--- credential given to qlabel ---\n${JSON.stringify(credential, null, 2)}`);
}

function checkSummary(report) {
  const checks = report?.badge?.checks;
  return Array.isArray(checks) ?
    checks.map(c => `${c.id}: ${c.status}${c.message ? ` (${c.message})` : ''}`)
      .join('\n') :
    '(no badge.checks in report)';
}

describe('Digital Bazaar signs, qlabel verifies', () => {
  let tmp;
  let key;

  before(async () => {
    tmp = makeTempDir();
    key = await dbGenerateDidKey({seed: SEED});
  });
  after(() => tmp?.cleanup());

  for(const suite of Object.keys(SUITES)) {
    for(const [kindName, kind] of Object.entries(KINDS)) {
      describe(`${SUITES[suite]}: ${kind.label}`, () => {
        let signed;

        before(async () => {
          signed = await dbIssue({
            credential: kind.make(key.controller), suite, key
          });
        });

        it('qlabel verify: exit 0, badge.status "valid", ' +
          'proof and key-binding pass', () => {
          const file = tmp.writeJson(`db-${suite}-${kindName}.json`, signed);
          const result = qlabelVerify(file, {at: AT});
          const {run, report} = result;
          const why = `\n--- checks ---\n${checkSummary(report)}\n` +
            explain(result, signed);
          assert.equal(run.status, 0, `exit status${why}`);
          assert.ok(report, `no JSON report${why}`);
          assert.equal(report.badge?.status, 'valid', `badge.status${why}`);
          for(const id of ['proof', 'key-binding']) {
            assert.equal(findCheck(report, id)?.status, 'pass',
              `check "${id}"${why}`);
          }
          const failed = (report.badge.checks || [])
            .filter(c => c.status === 'fail');
          assert.deepEqual(failed, [], `failed checks${why}`);
        });

        it('qlabel verify of a copy with one character flipped: exit 1, ' +
          '"invalid", proof fail', () => {
          const tampered = tamper(signed, kind.tamperPath);
          const file = tmp.writeJson(`db-${suite}-${kindName}-tampered.json`,
            tampered);
          const result = qlabelVerify(file, {at: AT});
          const {run, report} = result;
          const why = `\n(${kind.tamperPath.join('.')} changed)` +
            `\n--- checks ---\n${checkSummary(report)}\n` +
            explain(result, tampered);
          assert.equal(run.status, 1, `exit status${why}`);
          assert.ok(report, `no JSON report${why}`);
          assert.equal(report.badge?.status, 'invalid', `badge.status${why}`);
          assert.equal(findCheck(report, 'proof')?.status, 'fail',
            `check "proof"${why}`);
        });
      });
    }
  }
});

// The base direction of a string is signed (Digital Bazaar canonicalises with
// rdfDirection "i18n-datatype"): flipping it after signing must break the
// rdfc signature for qlabel too.
describe('Digital Bazaar signs a string with a base direction', () => {
  let tmp;
  let key;

  before(async () => {
    tmp = makeTempDir();
    key = await dbGenerateDidKey({seed: SEED});
  });
  after(() => tmp?.cleanup());

  it('qlabel rejects the credential once the direction is flipped', async () => {
    const signed = await dbIssue({
      credential: KINDS.i18n.make(key.controller), suite: 'rdfc', key
    });
    const flipped = structuredClone(signed);
    flipped.name['@direction'] = 'ltr';
    const file = tmp.writeJson('db-rdfc-direction-flipped.json', flipped);
    const result = qlabelVerify(file, {at: AT});
    const why = `\n--- checks ---\n${checkSummary(result.report)}\n` +
      explain(result, flipped);
    assert.equal(result.run.status, 1, `exit status${why}`);
    assert.equal(findCheck(result.report, 'proof')?.status, 'fail',
      `check "proof"${why}`);
  });
});

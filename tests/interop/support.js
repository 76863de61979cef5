// Shared helpers for the qlabel <-> Digital Bazaar interop tests.
//
// Not a test file itself (node --test only picks up `*.test.js` here).
//
// Everything here is offline: the JSON-LD document loader serves contexts from
// local files and resolves did:key DIDs with the did:key driver; any other URL
// makes it throw.

import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync}
  from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, isAbsolute, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

import * as vc from '@digitalbazaar/vc';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import multikeyContext from '@digitalbazaar/multikey-context';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as didKey from '@digitalbazaar/did-method-key';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022Cryptosuite}
  from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {
  createSignCryptosuite as createJcsSignCryptosuite,
  createVerifyCryptosuite as createJcsVerifyCryptosuite
} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import {JsonLdDocumentLoader} from 'jsonld-document-loader';

export {vc, Ed25519Multikey};

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(HERE, '..', '..');

// ---------------------------------------------------------------------------
// Fixed times, so that results do not depend on the clock.
// ---------------------------------------------------------------------------

/** `validFrom` of every test credential. */
export const VALID_FROM = '2024-01-01T00:00:00Z';
/** `created` of every proof (qlabel `--created`, DB `date`). */
export const CREATED = '2024-01-02T03:04:05Z';
/** The verification time (qlabel `--at`, DB `now`). */
export const AT = '2025-06-01T12:00:00Z';

export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB_V3P0_CONTEXT =
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';

/** The suites under test, by qlabel's `--suite` name. */
export const SUITES = {
  rdfc: 'eddsa-rdfc-2022',
  jcs: 'eddsa-jcs-2022'
};

// ---------------------------------------------------------------------------
// Open Badges 3.0.3 context, read from local files.
// ---------------------------------------------------------------------------

// Read from the contexts that the Rust side bundles (crates/core/contexts), so
// that both implementations see the same bytes for this context.
const RUST_CONTEXTS_DIR = join(REPO_ROOT, 'crates', 'core', 'contexts');
const OB_CONTEXT_NAME = 'ob-v3p0-context-3.0.3.json';

function findObContextFile() {
  const file = join(RUST_CONTEXTS_DIR, OB_CONTEXT_NAME);
  if(!existsSync(file)) {
    const have = existsSync(RUST_CONTEXTS_DIR) ?
      readdirSync(RUST_CONTEXTS_DIR).join(', ') : '(folder missing)';
    throw new Error(
      `Open Badges 3.0.3 JSON-LD context not found at ${file}; ` +
      `${RUST_CONTEXTS_DIR} has: ${have}`);
  }
  return file;
}

export const OB_CONTEXT_FILE = findObContextFile();
const OB_CONTEXT_DOC = JSON.parse(readFileSync(OB_CONTEXT_FILE, 'utf8'));

// ---------------------------------------------------------------------------
// did:key driver and the offline document loader.
// ---------------------------------------------------------------------------

export const didKeyDriver = didKey.driver();
didKeyDriver.use({
  multibaseMultikeyHeader: 'z6Mk',
  fromMultibase: Ed25519Multikey.from
});

function buildDocumentLoader() {
  const loader = new JsonLdDocumentLoader();
  // VC 1.1 / 2.0 (and undefined-terms) contexts from the npm package.
  loader.addDocuments({documents: credentialsContext.contexts});
  // Data Integrity v1 / v2 contexts.
  loader.addDocuments({documents: dataIntegrityContext.contexts});
  // Multikey v1 context (used by did:key verification methods).
  loader.addDocuments({documents: multikeyContext.contexts});
  // Open Badges 3.0.3.
  loader.addStatic(OB_V3P0_CONTEXT, OB_CONTEXT_DOC);
  // did:key DIDs and verification methods.
  loader.setDidResolver(didKeyDriver);
  const load = loader.build();
  return async url => {
    try {
      return await load(url);
    } catch(e) {
      throw new Error(
        `offline document loader: no local document for "${url}" ` +
        `(${e.message})`);
    }
  };
}

export const documentLoader = buildDocumentLoader();

// ---------------------------------------------------------------------------
// Digital Bazaar suites.
// ---------------------------------------------------------------------------

/** A DataIntegrityProof suite that verifies proofs of the given suite. */
export function dbVerifySuite(suite) {
  if(suite === 'rdfc') {
    return new DataIntegrityProof({cryptosuite: eddsaRdfc2022Cryptosuite});
  }
  if(suite === 'jcs') {
    return new DataIntegrityProof({cryptosuite: createJcsVerifyCryptosuite()});
  }
  throw new Error(`unknown suite ${suite}`);
}

/** A DataIntegrityProof suite that signs with `key` (an Ed25519Multikey). */
export function dbSignSuite(suite, key, date = CREATED) {
  const signer = key.signer();
  if(suite === 'rdfc') {
    return new DataIntegrityProof(
      {signer, date, cryptosuite: eddsaRdfc2022Cryptosuite});
  }
  if(suite === 'jcs') {
    return new DataIntegrityProof(
      {signer, date, cryptosuite: createJcsSignCryptosuite()});
  }
  throw new Error(`unknown suite ${suite}`);
}

/**
 * Creates an Ed25519 Multikey whose controller is its own did:key DID.
 * With a `seed` (32 bytes) the key is deterministic.
 */
export async function dbGenerateDidKey({seed} = {}) {
  const tmp = await Ed25519Multikey.generate(seed ? {seed} : {});
  const did = `did:key:${tmp.publicKeyMultibase}`;
  const exported = await tmp.export({publicKey: true, secretKey: true});
  return Ed25519Multikey.from({
    ...exported,
    id: `${did}#${tmp.publicKeyMultibase}`,
    controller: did
  });
}

/** `issue()` with DB; returns the signed credential (input is not mutated). */
export async function dbIssue({credential, suite, key, date = CREATED}) {
  return vc.issue({
    credential: structuredClone(credential),
    suite: dbSignSuite(suite, key, date),
    documentLoader,
    now: AT
  });
}

/** `verifyCredential()` with DB at the fixed time `AT`. */
export async function dbVerify({credential, suite}) {
  return vc.verifyCredential({
    credential: structuredClone(credential),
    suite: dbVerifySuite(suite),
    documentLoader,
    now: AT
  });
}

/** A JSON-able summary of a DB verification result, errors included. */
export function summarizeDbResult(result) {
  return JSON.stringify(result, (k, v) => {
    if(v instanceof Error) {
      const out = {name: v.name, message: v.message};
      if(v.details) {
        out.details = v.details;
      }
      if(v.cause) {
        out.cause = v.cause;
      }
      if(Array.isArray(v.errors)) {
        out.errors = v.errors;
      }
      return out;
    }
    // the credential is printed elsewhere; keep results readable
    if(k === 'credential' || k === 'document') {
      return '<omitted>';
    }
    return v;
  }, 2);
}

// ---------------------------------------------------------------------------
// Test credentials.
// ---------------------------------------------------------------------------

/** An Open Badges 3.0 OpenBadgeCredential issued by `did`. */
export function openBadgeCredential(did) {
  return {
    '@context': [VC_V2_CONTEXT, OB_V3P0_CONTEXT],
    id: 'urn:uuid:6a5f8c6e-2c4b-4c59-9d0e-3b1b3e7f1a01',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: 'Interoperability Tester',
    issuer: {
      id: did,
      type: ['Profile'],
      name: 'qlabel interop test issuer'
    },
    validFrom: VALID_FROM,
    credentialSubject: {
      id: 'did:example:learner-7c1e',
      type: ['AchievementSubject'],
      achievement: {
        id: 'https://example.org/achievements/interop-tester',
        type: ['Achievement'],
        name: 'Interoperability Tester',
        description: 'Awarded for verifying credentials across ' +
          'implementations.',
        criteria: {
          narrative: 'Sign a credential with one implementation and ' +
            'verify it with another.'
        }
      }
    }
  };
}

/** A plain VC 2.0 credential issued by `did`. */
export function plainVcCredential(did) {
  return {
    '@context': [VC_V2_CONTEXT],
    id: 'urn:uuid:0b9e3c1a-5e57-4f2a-8a8c-7d1f1d2e3c04',
    type: ['VerifiableCredential'],
    issuer: did,
    validFrom: VALID_FROM,
    credentialSubject: {
      id: 'did:example:learner-7c1e',
      name: 'Alice Example'
    }
  };
}

/**
 * A VC 2.0 credential whose name and description carry a language and a base
 * direction (VC 2.0 §11.1): the direction must be signed, not dropped.
 */
export function languageDirectionCredential(did) {
  return {
    '@context': [VC_V2_CONTEXT],
    id: 'urn:uuid:3d0b7e52-7a0e-4c8e-9f7c-5b2a6e9d1c07',
    type: ['VerifiableCredential'],
    issuer: did,
    validFrom: VALID_FROM,
    name: {'@value': 'شهادة المشاركة', '@language': 'ar', '@direction': 'rtl'},
    description: [
      {'@value': 'Participation certificate', '@language': 'en',
        '@direction': 'ltr'},
      {'@value': 'Potrdilo o udeležbi', '@language': 'sl'}
    ],
    credentialSubject: {
      id: 'did:example:learner-7c1e',
      name: 'Alice Example'
    }
  };
}

/** The credential kinds under test. */
export const KINDS = {
  ob3: {
    label: 'OB 3.0 OpenBadgeCredential',
    make: openBadgeCredential,
    tamperPath: ['credentialSubject', 'achievement', 'name']
  },
  vc2: {
    label: 'plain VC 2.0 credential',
    make: plainVcCredential,
    tamperPath: ['credentialSubject', 'name']
  },
  i18n: {
    label: 'VC 2.0 credential with language and base direction',
    make: languageDirectionCredential,
    tamperPath: ['credentialSubject', 'name']
  }
};

/** Replaces one character of a string: the first one, by another letter. */
export function flipOneChar(s) {
  const c = s[0] === 'X' ? 'Y' : 'X';
  return c + s.slice(1);
}

/**
 * Returns a deep copy of `credential` with one character flipped at `path`
 * (an array of property names).
 */
export function tamper(credential, path) {
  const copy = structuredClone(credential);
  let obj = copy;
  for(const k of path.slice(0, -1)) {
    obj = obj[k];
  }
  const last = path[path.length - 1];
  if(typeof obj[last] !== 'string') {
    throw new Error(`cannot tamper ${path.join('.')}: not a string`);
  }
  obj[last] = flipOneChar(obj[last]);
  return copy;
}

// ---------------------------------------------------------------------------
// Temp files.
// ---------------------------------------------------------------------------

/** A fresh temp directory under os.tmpdir(), removed by `cleanup()`. */
export function makeTempDir(prefix = 'qlabel-interop-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    path: name => join(dir, name),
    writeJson(name, value) {
      const p = join(dir, name);
      writeFileSync(p, JSON.stringify(value, null, 2) + '\n');
      return p;
    },
    cleanup() {
      if(process.env.QLABEL_INTEROP_KEEP_TMP) {
        return;
      }
      rmSync(dir, {recursive: true, force: true});
    }
  };
}

export function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

// ---------------------------------------------------------------------------
// Running the qlabel CLI.
// ---------------------------------------------------------------------------

/** The qlabel binary from $QLABEL_BIN (absolute, or relative to the cwd). */
export function qlabelBin() {
  const bin = process.env.QLABEL_BIN;
  if(!bin) {
    throw new Error(
      'QLABEL_BIN is not set: run with QLABEL_BIN=/abs/path/to/qlabel ' +
      'node --test');
  }
  const abs = isAbsolute(bin) ? bin : resolve(process.cwd(), bin);
  if(!existsSync(abs)) {
    throw new Error(`QLABEL_BIN=${bin}: no such file (${abs})`);
  }
  return abs;
}

/** Runs qlabel with `args`; never throws on a non-zero exit. */
export function runQlabel(args) {
  const bin = qlabelBin();
  const r = spawnSync(bin, args, {encoding: 'utf8', timeout: 60_000});
  if(r.error) {
    throw new Error(`could not run ${bin}: ${r.error.message}`);
  }
  return {
    cmd: [bin, ...args].map(a => (/[\s"']/.test(a) ? JSON.stringify(a) : a))
      .join(' '),
    status: r.status,
    signal: r.signal,
    stdout: r.stdout,
    stderr: r.stderr
  };
}

/** Human-readable account of a qlabel run, for assertion messages. */
export function describeRun(run, extra = '') {
  return [
    `$ ${run.cmd}`,
    `exit status: ${run.status}${run.signal ? ` (signal ${run.signal})` : ''}`,
    `--- stdout ---\n${run.stdout || '(empty)'}`,
    `--- stderr ---\n${run.stderr || '(empty)'}`,
    extra
  ].filter(Boolean).join('\n');
}

/** Like runQlabel, but fails (with diagnostics) unless the exit status is 0. */
export function runQlabelOk(args) {
  const run = runQlabel(args);
  if(run.status !== 0) {
    throw new Error(`qlabel failed:\n${describeRun(run)}`);
  }
  return run;
}

/** `qlabel key generate -o FILE`; returns the key file path. */
export function qlabelKeyGenerate(tmp, name = 'key.json') {
  const file = tmp.path(name);
  runQlabelOk(['key', 'generate', '-o', file]);
  return file;
}

/** `qlabel sign`; returns the signed credential (parsed from the -o file). */
export function qlabelSign({tmp, keyFile, suite, inputFile, created = CREATED}) {
  const out = tmp.path(`signed-${suite}-${Date.now()}-${Math.random()
    .toString(36).slice(2)}.json`);
  const run = runQlabelOk([
    'sign', '--key', keyFile, '--suite', suite, inputFile,
    '--created', created, '-o', out
  ]);
  let signed;
  try {
    signed = readJson(out);
  } catch(e) {
    throw new Error(
      `qlabel sign wrote no parseable JSON to ${out}: ${e.message}\n` +
      describeRun(run));
  }
  return {signed, run, file: out};
}

/**
 * `qlabel verify FILE --json --at AT`; returns {run, report}, with report =
 * null if stdout is not JSON.
 */
export function qlabelVerify(file, {at = AT} = {}) {
  const run = runQlabel(['verify', file, '--json', '--at', at]);
  let report = null;
  try {
    report = JSON.parse(run.stdout);
  } catch{
    // left null; callers print the raw output
  }
  return {run, report};
}

/** The check with the given id in `report.badge.checks`, or undefined. */
export function findCheck(report, id) {
  const checks = report?.badge?.checks;
  if(!Array.isArray(checks)) {
    return undefined;
  }
  return checks.find(c => c && c.id === id);
}

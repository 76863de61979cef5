#!/usr/bin/env node
// Benchmark: qlabel-wasm `verify()` against Digital Bazaar's `@digitalbazaar/vc`
// `verifyCredential()`, in one Node process, on the same credentials.
//
//   cargo xtask dist
//   node tests/interop/bench-wasm.mjs [--pkg DIR] [--out FILE] [--seconds S]
//                                      [--warmup N] [--cold-runs N]
//
// --pkg (or $QLABEL_WASM_PKG) is the qlabel-wasm package to measure (default
// dist/pkg); --out the JSON results (default target/bench/wasm.json).
//
// Not a test (no `*.test.js` name, so `node --test` does not pick it up).
//
// What it does:
// 1. Digital Bazaar's stack signs one Open Badges 3.0 credential
//    (samples/ob3-unsigned.json, the demo did:key of samples/demo-key.json) three
//    times: eddsa-rdfc-2022, eddsa-jcs-2022 and Ed25519Signature2020. The signed
//    credentials are serialized once; both sides get the same JSON text.
// 2. For each credential, qlabel-wasm `verify(text, {offline: true, at})` and DB
//    `verifyCredential({credential: JSON.parse(text), suite, documentLoader, now})`
//    with the offline document loader of support.js (bundled contexts, did:key
//    resolution by the did:key driver) are each warmed up, then timed call by call
//    in alternating blocks for a fixed wall time per side. Both must say valid, on
//    every warm-up call and the first and last call of every block; otherwise the
//    harness exits 1.
// 3. First-call latency: fresh Node processes (this file with --cold) time the
//    import + init(), the first verification, and the lazily loaded RDFC module.

import {spawnSync} from 'node:child_process';
import {cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync,
  rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {gzipSync} from 'node:zlib';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..', '..');

/** The verification time given to both sides. */
const AT = '2026-06-01T00:00:00Z';
/** `created` of every proof. */
const CREATED = '2025-01-01T00:00:00Z';

/** Goals of issue 5 (peer time / qlabel time), and the peer figures it quotes. */
const GOALS = {
  rdfc: {ratio: 10, issuePeerMs: 2.0},
  jcs: {ratio: 2, issuePeerMs: 0.24},
  ed2020: {ratio: null, issuePeerMs: null}
};

const CASES = [
  {key: 'rdfc', name: 'eddsa-rdfc-2022'},
  {key: 'jcs', name: 'eddsa-jcs-2022'},
  {key: 'ed2020', name: 'Ed25519Signature2020'}
];

// ---------------------------------------------------------------------------
// Arguments.
// ---------------------------------------------------------------------------

function parseArgs(argv) {
  const opts = {
    pkg: process.env.QLABEL_WASM_PKG || join(REPO, 'dist', 'pkg'),
    out: join(REPO, 'target', 'bench', 'wasm.json'),
    seconds: 2.5,
    warmup: 300,
    minIters: 200,
    coldRuns: 5,
    cold: null
  };
  for(let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if(i + 1 >= argv.length) {
        throw new Error(`${a} needs a value`);
      }
      return argv[++i];
    };
    if(a === '--pkg') {
      opts.pkg = val();
    } else if(a === '--out') {
      opts.out = val();
    } else if(a === '--seconds') {
      opts.seconds = Number(val());
    } else if(a === '--warmup') {
      opts.warmup = Number(val());
    } else if(a === '--cold-runs') {
      opts.coldRuns = Number(val());
    } else if(a === '--cold') {
      // internal: one first-call measurement, in a fresh process
      opts.cold = {mode: val(), creds: val()};
    } else if(a === '-h' || a === '--help') {
      console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8')
        .split('\n').slice(1, 11).map(l => l.replace(/^\/\/ ?/, '')).join('\n'));
      process.exit(0);
    } else {
      throw new Error(`unknown argument ${a} (see --help)`);
    }
  }
  opts.pkg = resolve(opts.pkg);
  opts.out = resolve(opts.out);
  if(!(opts.seconds > 0) || !(opts.warmup >= 0)) {
    throw new Error('--seconds must be > 0 and --warmup >= 0');
  }
  return opts;
}

function pkgEntry(pkg) {
  return pathToFileURL(join(pkg, 'index.js')).href;
}

// ---------------------------------------------------------------------------
// Validity checks (a benchmark of a failing verification is worthless).
// ---------------------------------------------------------------------------

class BenchError extends Error {}

function checkQlabel(report, c) {
  const proof = report?.badge?.checks?.find(x => x.id === 'proof');
  if(report?.badge?.status !== 'valid' || proof?.status !== 'pass' ||
    !String(proof?.message).includes(`(${c.name} `)) {
    throw new BenchError(
      `qlabel-wasm did not verify the ${c.name} credential as valid:\n` +
      JSON.stringify(report?.badge ?? report, null, 2));
  }
}

function checkDb(result, c) {
  if(result?.verified !== true) {
    const why = JSON.stringify(result, (k, v) => (v instanceof Error ?
      {name: v.name, message: v.message, details: v.details} :
      k === 'credential' || k === 'document' ? '<omitted>' : v), 2);
    throw new BenchError(
      `@digitalbazaar/vc did not verify the ${c.name} credential:\n${why}`);
  }
}

// ---------------------------------------------------------------------------
// Digital Bazaar's side.
// ---------------------------------------------------------------------------

async function loadDb() {
  const support = await import('./support.js');
  const {Ed25519Signature2020} =
    await import('@digitalbazaar/ed25519-signature-2020');
  const {default: ed2020Context} =
    await import('ed25519-signature-2020-context');
  // The Ed25519Signature2020 context from the files qlabel bundles, so that both
  // sides read the same bytes (as support.js does for Open Badges 3.0.3).
  const ed2020Url = ed2020Context.constants.CONTEXT_URL;
  const ed2020Doc = JSON.parse(readFileSync(
    join(REPO, 'crates', 'core', 'contexts', 'ed25519-signature-2020-v1.jsonld'),
    'utf8'));
  const documentLoader = async url => {
    if(url === ed2020Url) {
      return {contextUrl: null, documentUrl: url, document: ed2020Doc};
    }
    return support.documentLoader(url);
  };
  const verifySuite = key => (key === 'ed2020' ? new Ed25519Signature2020() :
    support.dbVerifySuite(key));
  return {support, Ed25519Signature2020, documentLoader, verifySuite};
}

/** Signs samples/ob3-unsigned.json three times with DB; returns {key: text}. */
async function signCredentials(db) {
  const {support, Ed25519Signature2020, documentLoader} = db;
  const keyJson = JSON.parse(
    readFileSync(join(REPO, 'samples', 'demo-key.json'), 'utf8'));
  const key = await support.Ed25519Multikey.from(keyJson);
  const unsigned = JSON.parse(
    readFileSync(join(REPO, 'samples', 'ob3-unsigned.json'), 'utf8'));
  const texts = {};
  for(const c of CASES) {
    const suite = c.key === 'ed2020' ?
      new Ed25519Signature2020({signer: key.signer(), date: CREATED}) :
      support.dbSignSuite(c.key, key, CREATED);
    const signed = await support.vc.issue({
      credential: structuredClone(unsigned), suite, documentLoader, now: AT
    });
    texts[c.key] = JSON.stringify(signed, null, 2) + '\n';
  }
  return texts;
}

// ---------------------------------------------------------------------------
// Timing.
// ---------------------------------------------------------------------------

const now = () => performance.now();

function stats(samples) {
  const s = Float64Array.from(samples).sort();
  const q = p => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const n = s.length;
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  const mean = samples.reduce((a, b) => a + b, 0) / n;
  return {
    iterations: n,
    medianMs: median,
    meanMs: mean,
    p10Ms: q(0.10),
    p90Ms: q(0.90),
    minMs: s[0],
    opsPerSec: 1000 / mean
  };
}

/**
 * Measures `sides` (each {fn, check}) against each other: `warmup` checked calls
 * each, then timed calls in alternating blocks of ~`BLOCK_MS` (qlabel, peer,
 * qlabel, …) until each side has run for `seconds` and made `minIters` calls.
 * Alternating blocks make both sides meet the same machine: a busy moment (other
 * processes on a shared box) hits both, and the ratio stays fair. Every call is
 * awaited before the next one; the first and the last result of each block are
 * checked.
 */
const BLOCK_MS = 100;

async function measurePair(sides, {warmup, seconds, minIters}) {
  for(const side of sides) {
    for(let i = 0; i < warmup; i++) {
      side.check(await side.fn());
    }
  }
  const samples = sides.map(() => []);
  const spent = sides.map(() => 0);
  const done = () => sides.every((_, i) =>
    spent[i] >= seconds * 1000 && samples[i].length >= minIters);
  while(!done()) {
    for(const [i, side] of sides.entries()) {
      const start = now();
      const end = start + BLOCK_MS;
      let last;
      let first = true;
      do {
        const t0 = now();
        last = await side.fn();
        samples[i].push(now() - t0);
        if(first) {
          side.check(last);
          first = false;
        }
      } while(now() < end);
      side.check(last);
      spent[i] += now() - start;
    }
  }
  return samples.map(stats);
}

// ---------------------------------------------------------------------------
// First-call latency, in fresh processes.
// ---------------------------------------------------------------------------

/** Runs in a child process: one cold measurement, printed as JSON. */
async function coldChild(opts) {
  const texts = JSON.parse(readFileSync(opts.cold.creds, 'utf8'));
  const verifyOpts = {offline: true, at: AT};
  const out = {};
  if(opts.cold.mode === 'qlabel-lazy') {
    // import + init, first jcs verify, then the first rdfc verify, which loads the
    // RDFC module lazily, then a second rdfc verify.
    let t = now();
    const q = await import(pkgEntry(opts.pkg));
    await q.init();
    out.initMs = now() - t;
    t = now();
    checkQlabel(await q.verify(texts.jcs, verifyOpts), CASES[1]);
    out.firstJcsMs = now() - t;
    t = now();
    checkQlabel(await q.verify(texts.jcs, verifyOpts), CASES[1]);
    out.secondJcsMs = now() - t;
    if(q.rdfcLoaded()) {
      throw new BenchError('the RDFC module was loaded before an rdfc credential');
    }
    t = now();
    checkQlabel(await q.verify(texts.rdfc, verifyOpts), CASES[0]);
    out.firstRdfcLazyMs = now() - t;
    if(!q.rdfcLoaded()) {
      throw new BenchError('the RDFC module was not loaded by an rdfc credential');
    }
    t = now();
    checkQlabel(await q.verify(texts.rdfc, verifyOpts), CASES[0]);
    out.secondRdfcMs = now() - t;
  } else if(opts.cold.mode === 'qlabel-explicit') {
    // import + init, loadRdfc() on its own, then the first rdfc verify.
    let t = now();
    const q = await import(pkgEntry(opts.pkg));
    await q.init();
    out.initMs = now() - t;
    t = now();
    await q.loadRdfc();
    out.loadRdfcMs = now() - t;
    t = now();
    checkQlabel(await q.verify(texts.rdfc, verifyOpts), CASES[0]);
    out.firstRdfcMs = now() - t;
  } else if(opts.cold.mode === 'db') {
    // import of the DB stack, then the first jcs and rdfc verifications.
    let t = now();
    const db = await loadDb();
    out.importMs = now() - t;
    for(const c of CASES.slice(0, 2).reverse()) {
      t = now();
      checkDb(await db.support.vc.verifyCredential({
        credential: JSON.parse(texts[c.key]), suite: db.verifySuite(c.key),
        documentLoader: db.documentLoader, now: AT
      }), c);
      out[`first${c.key === 'jcs' ? 'Jcs' : 'Rdfc'}Ms`] = now() - t;
    }
  } else {
    throw new Error(`unknown --cold mode ${opts.cold.mode}`);
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

function coldRuns(opts, credsFile) {
  const modes = ['qlabel-lazy', 'qlabel-explicit', 'db'];
  const runs = Object.fromEntries(modes.map(m => [m, []]));
  // Interleaved, so that a busy moment on the machine does not hit one mode only.
  for(let i = 0; i < opts.coldRuns; i++) {
    for(const mode of modes) {
      const r = spawnSync(process.execPath, [
        fileURLToPath(import.meta.url), '--pkg', opts.pkg,
        '--cold', mode, credsFile
      ], {encoding: 'utf8', cwd: HERE, timeout: 120_000});
      if(r.status !== 0) {
        throw new BenchError(
          `first-call run (${mode}) failed (exit ${r.status}):\n${r.stderr}`);
      }
      runs[mode].push(JSON.parse(r.stdout.trim().split('\n').pop()));
    }
  }
  const summary = {};
  for(const mode of modes) {
    summary[mode] = {};
    for(const k of Object.keys(runs[mode][0])) {
      summary[mode][k] = median(runs[mode].map(r => r[k]));
    }
  }
  return {runs: opts.coldRuns, medians: summary, all: runs};
}

// ---------------------------------------------------------------------------
// Output.
// ---------------------------------------------------------------------------

function fmtMs(ms) {
  if(ms < 1) {
    return `${(ms * 1000).toFixed(1)} µs`;
  }
  return `${ms.toFixed(ms < 10 ? 3 : 1)} ms`;
}

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map(r => r[i].length)));
  return rows.map(r => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) :
    c.padStart(widths[i]))).join('  ')).join('\n');
}

function wasmSizes(pkg) {
  const out = {};
  for(const f of readdirSync(pkg).filter(f => f.endsWith('.wasm')).sort()) {
    const bytes = readFileSync(join(pkg, f));
    out[f] = {bytes: bytes.length, gzipBytes: gzipSync(bytes, {level: 9}).length};
  }
  return out;
}

function git(args) {
  const r = spawnSync('git', args, {cwd: REPO, encoding: 'utf8'});
  return r.status === 0 ? r.stdout.trim() : null;
}

// ---------------------------------------------------------------------------
// Main.
// ---------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if(opts.cold) {
    return coldChild(opts);
  }
  // The package is copied first: other work may rebuild dist/pkg during a run,
  // and every measurement (first calls included) must see the same files.
  const source = opts.pkg;
  for(const f of ['index.js', 'qlabel_wasm_bg.wasm', 'qlabel_wasm_rdfc_bg.wasm']) {
    if(!existsSync(join(source, f))) {
      throw new BenchError(`${source} has no ${f}: run \`cargo xtask dist\` first`);
    }
  }
  opts.pkg = mkdtempSync(join(os.tmpdir(), 'qlabel-bench-pkg-'));
  cpSync(source, opts.pkg, {recursive: true});
  process.on('exit', () => rmSync(opts.pkg, {recursive: true, force: true}));
  const sizes = wasmSizes(opts.pkg);
  const db = await loadDb();
  const texts = await signCredentials(db);
  const q = await import(pkgEntry(opts.pkg));
  await q.init();
  await q.loadRdfc();

  const outDir = dirname(opts.out);
  mkdirSync(outDir, {recursive: true});
  const credsFile = join(outDir, 'wasm-credentials.json');
  writeFileSync(credsFile, JSON.stringify(texts, null, 2) + '\n');

  console.log(`qlabel-wasm: ${source} (copied to ${opts.pkg})`);
  for(const [f, s] of Object.entries(sizes)) {
    console.log(`  ${f}: ${s.bytes} bytes, ${s.gzipBytes} gzip`);
  }
  console.log(`node ${process.version}, ${os.cpus()[0]?.model} ×${os.cpus().length}, ` +
    `load average ${os.loadavg().map(x => x.toFixed(2)).join(' ')}`);
  console.log(`warm-up ${opts.warmup} calls, then ≥ ${opts.seconds} s and ≥ ` +
    `${opts.minIters} calls per side and case, in alternating ${BLOCK_MS} ms ` +
    `blocks; credentials in ${credsFile}\n`);

  const verifyOpts = {offline: true, at: AT};
  const results = [];
  for(const c of CASES) {
    const text = texts[c.key];
    const suite = db.verifySuite(c.key);
    const [qlabel, peer] = await measurePair([{
      fn: () => q.verify(text, verifyOpts),
      check: r => checkQlabel(r, c)
    }, {
      fn: () => db.support.vc.verifyCredential({
        credential: JSON.parse(text), suite, documentLoader: db.documentLoader,
        now: AT
      }),
      check: r => checkDb(r, c)
    }], opts);
    const ratio = peer.medianMs / qlabel.medianMs;
    const goal = GOALS[c.key];
    const r = {
      suite: c.name, bytes: Buffer.byteLength(text), qlabel, peer,
      ratioMedian: ratio, ratioMean: peer.meanMs / qlabel.meanMs,
      goalRatio: goal.ratio, issuePeerMs: goal.issuePeerMs,
      goalMet: goal.ratio === null ? null : ratio >= goal.ratio
    };
    results.push(r);
    console.log(`${c.name}: qlabel ${fmtMs(qlabel.medianMs)}, ` +
      `peer ${fmtMs(peer.medianMs)} (median), ${ratio.toFixed(1)}×`);
  }

  console.log('\nfirst-call latency (fresh processes, median of ' +
    `${opts.coldRuns})…`);
  const cold = coldRuns(opts, credsFile);

  const rows = [['suite', 'side', 'median', 'mean', 'p90', 'ops/s', 'iters',
    'peer/qlabel', 'goal']];
  for(const r of results) {
    for(const [side, s] of [['qlabel-wasm', r.qlabel], ['@digitalbazaar/vc', r.peer]]) {
      const isQ = side === 'qlabel-wasm';
      rows.push([isQ ? r.suite : '', side, fmtMs(s.medianMs), fmtMs(s.meanMs),
        fmtMs(s.p90Ms), s.opsPerSec.toFixed(0), String(s.iterations),
        isQ ? `${r.ratioMedian.toFixed(1)}×` : '',
        isQ ? (r.goalRatio === null ? '—' :
          `≥ ${r.goalRatio}× ${r.goalMet ? 'met' : 'MISSED'}`) : '']);
    }
  }
  console.log('\n' + table(rows));
  const m = cold.medians;
  console.log('\nfirst call (median of ' + cold.runs + ' fresh processes):');
  console.log(table([
    ['qlabel-wasm import + init()', fmtMs(m['qlabel-lazy'].initMs)],
    ['  first verify (jcs)', fmtMs(m['qlabel-lazy'].firstJcsMs)],
    ['  second verify (jcs)', fmtMs(m['qlabel-lazy'].secondJcsMs)],
    ['  first rdfc verify, RDFC module loaded lazily',
      fmtMs(m['qlabel-lazy'].firstRdfcLazyMs)],
    ['  second rdfc verify', fmtMs(m['qlabel-lazy'].secondRdfcMs)],
    ['  loadRdfc() alone', fmtMs(m['qlabel-explicit'].loadRdfcMs)],
    ['  first rdfc verify after loadRdfc() (and no jcs before)',
      fmtMs(m['qlabel-explicit'].firstRdfcMs)],
    ['@digitalbazaar/vc import of the stack', fmtMs(m.db.importMs)],
    ['  first verify (rdfc)', fmtMs(m.db.firstRdfcMs)],
    ['  then first verify (jcs)', fmtMs(m.db.firstJcsMs)]
  ]));

  const json = {
    schema: 'qlabel-bench-wasm/1',
    date: new Date().toISOString(),
    git: {head: git(['rev-parse', 'HEAD']), dirty: Boolean(git(['status', '--porcelain',
      '--', 'crates', 'dist']))},
    machine: {
      node: process.version, cpu: os.cpus()[0]?.model, cores: os.cpus().length,
      platform: `${os.platform()} ${os.release()}`, loadavg: os.loadavg()
    },
    pkg: source,
    wasm: sizes,
    method: {
      warmup: opts.warmup, seconds: opts.seconds, minIters: opts.minIters,
      blockMs: BLOCK_MS, at: AT,
      qlabel: 'await verify(text, {offline: true, at})',
      peer: 'await vc.verifyCredential({credential: JSON.parse(text), suite, ' +
        'documentLoader, now}) (offline loader: bundled contexts + did:key driver)'
    },
    results,
    firstCall: cold,
    loadavgAfter: os.loadavg()
  };
  writeFileSync(opts.out, JSON.stringify(json, null, 2) + '\n');
  console.log(`\nload average now ${os.loadavg().map(x => x.toFixed(2)).join(' ')}; ` +
    `results in ${opts.out}`);
}

main().catch(e => {
  console.error(e instanceof BenchError ? `FAIL: ${e.message}` : e);
  process.exit(1);
});

// Shared by the tests of qlabel-wasm: where things are, the verdict parity plan that the
// native vector tests write (QLABEL_WASM_PLAN), and how a report is compared with the
// native verdict.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The built package (`cargo xtask dist`). */
export const pkgDir = path.resolve(process.env.QLABEL_PKG ?? path.join(root, 'dist/pkg'));
export const pkgUrl = pathToFileURL(path.join(pkgDir, 'index.js')).href;
/** The plan: `QLABEL_WASM_PLAN=target/wasm-plan cargo test -p qlabel-core --test expectations --test ob2_vectors`. */
export const planDir = path.resolve(root, process.env.QLABEL_WASM_PLAN ?? 'target/wasm-plan');
export const qlabelBin = process.env.QLABEL_BIN ?? path.join(root, 'target/release/qlabel');
export const artifacts = path.join(root, 'target/test-artifacts');
export const chromiumPath = process.env.QLABEL_CHROMIUM ?? '/usr/bin/chromium';

if (!fs.existsSync(path.join(pkgDir, 'index.js'))) {
  throw new Error(`qlabel-wasm is not built at ${pkgDir}: run \`cargo xtask dist\` (or \`cargo xtask test\`)`);
}

/** Every case of both plans, in order: `{name, input, options, web, native, policy, manifest}`. */
export function loadPlan() {
  const files = ['ob3-vectors.json', 'ob2-vectors.json'].map((f) => path.join(planDir, f));
  const missing = files.filter((f) => !fs.existsSync(f));
  if (missing.length) {
    throw new Error(
      `the verdict parity plan is missing (${missing.join(', ')}): run \`QLABEL_WASM_PLAN=target/wasm-plan cargo test -p qlabel-core --test expectations --test ob2_vectors\` (cargo xtask test does)`,
    );
  }
  const cases = [];
  for (const f of files) {
    const plan = JSON.parse(fs.readFileSync(f, 'utf8'));
    if (plan.schema !== 'qlabel-wasm-plan/1') throw new Error(`${f}: not a qlabel-wasm-plan/1 document`);
    cases.push(...plan.cases);
  }
  return cases;
}

export const fromBase64 = (s) => new Uint8Array(Buffer.from(s, 'base64'));

/** The verdict a case must get through qlabel-wasm's public API: its own fetching
 * refuses what real fetchers refuse (plain http to other machines), so where the native
 * run fetched such a URL, the plan carries the native verdict with it refused. */
export function publicExpectation(c) {
  return c.policy ? { web: c.policy.web, native: c.policy.native } : { web: c.web, native: c.native };
}

/** The verify() options of a case. */
export function optionsOf(c) {
  const o = { at: c.options.at };
  if (c.options.source != null) o.source = c.options.source;
  if (c.options.recipient != null) o.recipient = c.options.recipient;
  if (c.options.registry != null) o.registry = c.options.registry;
  return o;
}

/**
 * The in-memory web of a case as HTTP answers, URL → `{status, headers, body, location}`
 * (redirects become 302s, so that a real fetch follows them). Every answer carries
 * `access-control-allow-origin: *`, as a public badge host would.
 */
export function httpAnswers(web) {
  const answers = new Map();
  const cors = { 'access-control-allow-origin': '*' };
  const hop = (from, to) => answers.set(from, { status: 302, headers: { ...cors, location: to }, body: new Uint8Array() });
  for (const { url, answer } of web) {
    if (answer.ok) {
      const chain = [url, ...answer.ok.redirects];
      for (let i = 0; i + 1 < chain.length; i++) hop(chain[i], chain[i + 1]);
      const headers = { ...cors };
      if (answer.ok.contentType != null) headers['content-type'] = answer.ok.contentType;
      answers.set(answer.ok.url, { status: 200, headers, body: fromBase64(answer.ok.body) });
    } else if (answer.status) {
      if (answer.url && answer.url !== url) hop(url, answer.url);
      answers.set(answer.url ?? url, { status: answer.status, headers: cors, body: new Uint8Array() });
    } else if (answer.contentType !== undefined) {
      if (answer.url && answer.url !== url) hop(url, answer.url);
      answers.set(answer.url ?? url, { status: 200, headers: { ...cors, 'content-type': answer.contentType }, body: new Uint8Array() });
    } else {
      // A failure without an HTTP answer (refused, network): nothing to serve.
      answers.set(url, { error: answer.error, message: answer.message });
    }
  }
  return answers;
}

/**
 * A WHATWG `fetch(url, init)` over a case's web that answers with real `Response`
 * objects, following redirects as `redirect: 'follow'` does. URLs the plan has no answer
 * for get 404 and are listed in `unexpected` (native never asked for them).
 */
export function planFetch(web) {
  const answers = httpAnswers(web);
  const unexpected = [];
  const requested = [];
  async function fetch(input, init = {}) {
    const first = typeof input === 'string' ? input : input.url;
    requested.push(first);
    let url = first;
    for (let hops = 0; ; hops++) {
      if (init.signal?.aborted) throw new DOMException('aborted', 'AbortError');
      const a = answers.get(url);
      if (!a) {
        unexpected.push(url);
        return new Response('not in the plan', { status: 404 });
      }
      if (a.error) throw new TypeError(`fetch failed: ${a.message}`);
      if (a.status === 302 && hops < 20) {
        url = a.headers.location;
        continue;
      }
      const res = new Response(a.status === 200 ? a.body : null, { status: a.status, headers: a.headers });
      if (url !== first) {
        Object.defineProperty(res, 'url', { value: url });
        Object.defineProperty(res, 'redirected', { value: true });
      } else {
        Object.defineProperty(res, 'url', { value: url });
      }
      return res;
    }
  }
  return { fetch, unexpected, requested };
}

/**
 * A fetcher for the module's low-level `verifyBytes(bytes, options, fetcher)`: answers
 * exactly as the in-memory web did, with no URL policy of its own.
 */
export function rawFetcher(web) {
  const byUrl = new Map(web.map((w) => [w.url, w.answer]));
  const unexpected = [];
  const fetcher = async (url) => {
    const a = byUrl.get(url);
    if (!a) {
      unexpected.push(url);
      throw { code: 'status', status: 404, message: `${url} answered HTTP 404` };
    }
    if (a.ok) return { url: a.ok.url, redirects: a.ok.redirects, contentType: a.ok.contentType ?? undefined, body: fromBase64(a.ok.body) };
    if (a.status) throw { code: 'status', status: a.status, message: `${a.url} answered HTTP ${a.status}` };
    if (a.contentType !== undefined) return { url: a.url ?? url, redirects: [], contentType: a.contentType, body: new Uint8Array() };
    throw { code: a.error, message: a.message };
  };
  return { fetcher, unexpected };
}

/** The suites of a credential's proofs (JSON text), or null when it is not JSON. */
export function suites(bytes) {
  try {
    const doc = JSON.parse(new TextDecoder().decode(bytes));
    return [doc.proof ?? []].flat().map((p) => p.cryptosuite ?? p.type);
  } catch {
    return null;
  }
}

const checkKey = (c) => `${c.id}:${c.status}${c.unverifiable ? ' (unverifiable)' : ''}`;

/**
 * How a qlabel-wasm outcome (`{report}` or `{error: code}`) differs from the native
 * verdict: a list of sentences, empty when they agree. Compared: the input's refusal
 * code, or the badge and label statuses, the format, the check the manifest names, and
 * every badge and label check's id, status and unverifiable flag.
 */
export function differences(c, native, outcome) {
  const d = [];
  if (native.error) {
    if (outcome.error !== native.error) {
      d.push(`native refused the input (${native.error}: ${native.message}); wasm ${outcome.error ? `refused it with ${outcome.error}: ${outcome.message}` : `gave ${outcome.report.badge.status}`}`);
    }
    return d;
  }
  if (outcome.error) {
    d.push(`native: badge ${native.badge}; wasm refused the input (${outcome.error}: ${outcome.message})`);
    return d;
  }
  const r = outcome.report;
  if (r.badge.status !== native.badge) d.push(`badge: native ${native.badge}, wasm ${r.badge.status}`);
  if (r.label.status !== native.label) d.push(`label: native ${native.label}, wasm ${r.label.status}`);
  if (r.input.format !== native.format) d.push(`format: native ${native.format}, wasm ${r.input.format}`);
  if ((r.input.baked ?? null) !== (native.baked ?? null)) d.push(`baked: native ${native.baked}, wasm ${r.input.baked}`);
  const named = c.manifest?.check;
  if (named) {
    const n = native.checks.filter((k) => k.id === named).map(checkKey).join(', ');
    const w = r.badge.checks.filter((k) => k.id === named).map(checkKey).join(', ');
    if (n !== w) d.push(`the manifest's check '${named}': native [${n}], wasm [${w}]`);
  }
  for (const part of ['checks', 'labelChecks']) {
    const n = native[part].map(checkKey).join(', ');
    const w = (part === 'checks' ? r.badge.checks : r.label.checks).map(checkKey).join(', ');
    if (n !== w) d.push(`${part === 'checks' ? 'badge' : 'label'} checks: native [${n}], wasm [${w}]`);
  }
  return d;
}

/** verify() as an outcome: `{report}` or `{error, message}` (a QlabelError's code). */
export async function outcomeOf(promise) {
  try {
    return { report: await promise };
  } catch (e) {
    if (e && typeof e.code === 'string') return { error: e.code, message: e.message };
    throw e;
  }
}

// ---- Credentials of our own, signed with the CLI and the published demo key ----

export const demoKey = path.join(root, 'samples/demo-key.json');
export const demoDid = JSON.parse(fs.readFileSync(demoKey, 'utf8')).controller;

function requireBin() {
  if (!fs.existsSync(qlabelBin)) {
    throw new Error(`the qlabel CLI is not built at ${qlabelBin}: run \`cargo build --release -p qlabel-cli\``);
  }
}

/** `qlabel sign --suite jcs` with the demo key; returns the signed credential (object). */
export function signJcs(doc) {
  requireBin();
  const out = execFileSync(
    qlabelBin,
    ['sign', '--key', demoKey, '--suite', 'jcs', '--created', '2025-01-01T00:00:00Z', '-'],
    { input: JSON.stringify(doc), encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] },
  );
  return JSON.parse(out);
}

/** `qlabel bake BADGE IMAGE -o OUT`; returns the baked image's bytes. */
export function bake(badgeFile, image, out) {
  requireBin();
  execFileSync(qlabelBin, ['bake', badgeFile, image, '-o', out], { stdio: 'pipe' });
  return new Uint8Array(fs.readFileSync(out));
}

/** A `BitstringStatusListCredential` at `url` by the demo issuer, bits `revoked` set. */
export function statusList(url, revoked = []) {
  const bits = new Uint8Array(16 * 1024);
  for (const i of revoked) bits[i >> 3] |= 0x80 >> (i & 7);
  const encoded = 'u' + zlib.gzipSync(bits).toString('base64url');
  return signJcs({
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: demoDid,
    validFrom: '2025-01-01T00:00:00Z',
    credentialSubject: { id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: encoded },
  });
}

/** An OB 3.0 badge by the demo issuer (eddsa-jcs-2022) whose revocation status is entry
 * `index` of the list at `listUrl`: the list must be fetched for a verdict. */
export function badgeWithStatus(listUrl, index = 7) {
  const unsigned = JSON.parse(fs.readFileSync(path.join(root, 'samples/ob3-unsigned.json'), 'utf8'));
  unsigned.credentialStatus = {
    id: `${listUrl}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: String(index),
    statusListCredential: listUrl,
  };
  return signJcs(unsigned);
}

/** Runs `fn` over `items`, `limit` at a time; resolves to the results in order. */
export async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

// qlabel-wasm: verify Open Badges and their issuers' Quality Label in browsers and Node.
//
//   import { init, verify } from 'qlabel-wasm';
//   await init();
//   const report = await verify(badgeJsonOrJwtOrUrl, { offline: true });
//
// The first module (everything but RDF canonicalization) loads in init(); the second
// (JSON-LD to RDF and RDFC-1.0) only when a credential signed with eddsa-rdfc-2022 or
// Ed25519Signature2020 is met.

import initCore, * as core from './qlabel_wasm.js';
import { makeFetcher, clearCache, shareFetches } from './fetch.js';

export { clearCache, shareFetches };

const encoder = new TextEncoder();
let coreReady = null;
let rdfcReady = null;
let assessReady = null;
// Glue modules handed over by provideModules(), for hosts without dynamic import().
const provided = { rdfc: null, assess: null };

/** An Error with a stable `code`. */
export class QlabelError extends Error {
  constructor(code, message, options) {
    super(message, options);
    this.name = 'QlabelError';
    this.code = code;
  }
}

function asQlabelError(e) {
  if (e instanceof QlabelError) return e;
  if (e && typeof e.code === 'string') return new QlabelError(e.code, e.message, { cause: e });
  // A trap in the wasm (a bug, never an answer about a badge).
  return new QlabelError('internal', `qlabel failed: ${e && e.message ? e.message : e}`, { cause: e });
}

/** The bytes of a module file next to this one (Node reads files; browsers fetch). */
async function locate(name) {
  const url = new URL(name, import.meta.url);
  if (url.protocol === 'file:') {
    const fs = await import('node:fs/promises');
    return fs.readFile(url);
  }
  return url;
}

/**
 * Loads the first module. Called by every other function; call it yourself to load
 * early. `module` may be given (a URL, a Response, bytes or a WebAssembly.Module)
 * where the default location next to this file does not work.
 */
export function init(module) {
  if (!coreReady) {
    coreReady = (async () => {
      const source = module ?? (await locate('qlabel_wasm_bg.wasm'));
      await initCore({ module_or_path: source });
    })().catch((e) => {
      coreReady = null;
      throw new QlabelError('load-failed', `the qlabel module could not be loaded: ${e && e.message ? e.message : e}`, { cause: e });
    });
  }
  return coreReady;
}

/** Loads the second module (RDF canonicalization); verify() does this when needed. */
export function loadRdfc(module) {
  if (!rdfcReady) {
    rdfcReady = (async () => {
      await init();
      const rdfc = provided.rdfc ?? (await import('./qlabel_wasm_rdfc.js'));
      const source = module ?? (await locate('qlabel_wasm_rdfc_bg.wasm'));
      await rdfc.default({ module_or_path: source });
      core.setCanonicalizer((text) => rdfc.canonicalize(text));
    })().catch((e) => {
      rdfcReady = null;
      throw new QlabelError('load-failed', `the RDF canonicalization module could not be loaded: ${e && e.message ? e.message : e}`, { cause: e });
    });
  }
  return rdfcReady;
}

/** Loads the module of assess() (the standard's criteria). */
function loadAssess() {
  if (!assessReady) {
    assessReady = (async () => {
      const m = provided.assess ?? (await import('./qlabel_wasm_assess.js'));
      await m.default({ module_or_path: await locate('qlabel_wasm_assess_bg.wasm') });
      return m;
    })().catch((e) => {
      assessReady = null;
      throw new QlabelError('load-failed', `the assessment module could not be loaded: ${e && e.message ? e.message : e}`, { cause: e });
    });
  }
  return assessReady;
}

/**
 * Hands over the JS glue of the lazily loaded modules, for hosts where `import()` is not
 * allowed (an extension's service worker): import `./qlabel_wasm_rdfc.js` and
 * `./qlabel_wasm_assess.js` statically and pass their namespaces. Their wasm is still
 * fetched only when first needed.
 */
export function provideModules({ rdfc, assess } = {}) {
  if (rdfc) provided.rdfc = rdfc;
  if (assess) provided.assess = assess;
}

/** Whether the second module is loaded. */
export function rdfcLoaded() {
  return rdfcReady !== null;
}

async function toBytes(input) {
  if (typeof input === 'string') return encoder.encode(input);
  if (input instanceof URL) return encoder.encode(input.href);
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (typeof Blob !== 'undefined' && input instanceof Blob) return new Uint8Array(await input.arrayBuffer());
  throw new QlabelError('bad-input', 'the input must be a string (JSON, JWT or URL), a URL, a Uint8Array, an ArrayBuffer or a Blob');
}

function isoTime(at) {
  if (at === undefined || at === null) return new Date().toISOString();
  const d = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(d.getTime())) throw new QlabelError('bad-options', `options.at: '${at}' is not a date and time`);
  return d.toISOString();
}

async function trustOption(trust, fetcher) {
  if (trust === undefined || trust === null) return undefined;
  const isUrl = trust instanceof URL || (typeof trust === 'string' && /^https?:\/\//i.test(trust.trim()));
  if (!isUrl) return trust;
  const url = trust instanceof URL ? trust.href : trust.trim();
  try {
    const res = await fetcher(url, 'json');
    return new TextDecoder().decode(res.body);
  } catch (e) {
    throw new QlabelError('bad-options', `options.trust: the trust anchors at ${url} could not be had: ${e && e.message ? e.message : e}`);
  }
}

const KNOWN_OPTIONS = new Set(['at', 'trust', 'registry', 'offline', 'recipient', 'timeout', 'maxBytes', 'fetch', 'source']);

/**
 * Verifies a badge: JSON (an OB 2.0 assertion, an OB 3.0 / VC credential), a JWT, a
 * URL, or a baked PNG/SVG image. Resolves to the `qlabel-report/1` report; rejects
 * with a QlabelError (`code`) only when the input cannot be read at all.
 */
export async function verify(input, options = {}) {
  const bytes = await toBytes(input);
  const { fetcher, text } = await prepare(options, input instanceof URL ? input.href : undefined);
  return withRdfc(() => core.verifyBytes(bytes, text, fetcher));
}

/**
 * Runs a verification; when it asks for the RDF canonicalization module (`needs-rdfc`),
 * loads it and runs it once more (the fetcher remembers what was fetched). Resolves to
 * the parsed JSON answer.
 */
async function withRdfc(run) {
  for (let attempt = 0; ; attempt++) {
    try {
      return JSON.parse(await run());
    } catch (e) {
      if (e && e.code === 'needs-rdfc' && attempt === 0) {
        await loadRdfc();
        continue;
      }
      throw asQlabelError(e);
    }
  }
}

/** Checks and normalises options: the wire text for the core, and one fetcher. */
async function prepare(options, inputSource) {
  if (options === null || typeof options !== 'object') {
    throw new QlabelError('bad-options', 'options must be an object');
  }
  for (const k of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(k)) throw new QlabelError('bad-options', `unknown option '${k}'`);
  }
  await init();
  const timeout = options.timeout ?? 10000;
  if (!(timeout > 0)) throw new QlabelError('bad-options', 'options.timeout must be a positive number of milliseconds');
  const fetcher = makeFetcher({ timeoutMs: timeout, maxBytes: options.maxBytes, fetchImpl: options.fetch });
  const wire = {
    at: isoTime(options.at),
    trust: await trustOption(options.trust, fetcher),
    registry: options.registry instanceof URL ? options.registry.href : options.registry ?? undefined,
    offline: Boolean(options.offline),
    recipient: options.recipient ?? undefined,
    source: options.source ?? inputSource,
    maxBytes: options.maxBytes ?? undefined,
  };
  return { fetcher, text: JSON.stringify(wire) };
}

/**
 * The Quality Label of an organisation — what a seal shows: the `label` part of a
 * report, judged now (or at `options.at`). `holder` is the issuer id as badges name it.
 */
export async function label(holder, options = {}) {
  if (typeof holder !== 'string' || !holder.trim()) {
    throw new QlabelError('bad-input', 'the holder must be a non-empty string (an issuer id)');
  }
  const { fetcher, text } = await prepare(options);
  return withRdfc(() => core.labelOfHolder(holder, text, fetcher));
}

/** The badge baked into a PNG or SVG image: `{kind: 'png'|'svg', payload}`. */
export async function extract(bytes) {
  await init();
  const b = await toBytes(bytes);
  try {
    return JSON.parse(core.extractBytes(b));
  } catch (e) {
    throw asQlabelError(e);
  }
}

/**
 * The Quality Label standard's machine-checkable criteria for one badge (JSON, JWT,
 * baked image, or a URL, which is fetched first).
 */
export async function assess(input, options = {}) {
  const m = await loadAssess();
  let bytes = await toBytes(input);
  const text = typeof input === 'string' ? input.trim() : input instanceof URL ? input.href : null;
  if (text && /^https?:\/\//i.test(text) && !/\s/.test(text)) {
    const fetcher = makeFetcher({ timeoutMs: options.timeout ?? 10000, fetchImpl: options.fetch });
    try {
      bytes = (await fetcher(text, 'badge')).body;
    } catch (e) {
      throw new QlabelError('fetch-failed', e && e.message ? e.message : String(e));
    }
  }
  const answer = JSON.parse(m.assess(bytes));
  if (answer.error !== undefined && answer.code !== undefined) throw new QlabelError(answer.code, answer.error);
  return answer;
}

/**
 * The badges on a page, by the same rules as `qlabel scan`. `page` is
 * `{url, links: [href], images: [{src, alt, title}], scripts: [text of
 * <script type="application/ld+json">], alternates: [[href, type]],
 * embeds: [[data-share-badge-id, data-share-badge-host]]}` with absolute URLs (each
 * field optional). Resolves to `[{source, index, platform, page, fetch, via}]`:
 * `source` is 'page'|'link'|'image'|'script'|'alternate'|'embed', `index` the item's
 * position in its list; `fetch` is null for link-only badges (Europass, Cities of
 * Learning); `via` names the field of the fetched platform JSON that holds the badge's
 * URL (see followVia); images and scripts have no platform, page or fetch.
 * @param {object} page
 * @returns {Promise<Array<object>>}
 */
export async function detect(page) {
  await init();
  try {
    return JSON.parse(core.detectPage(JSON.stringify(page ?? {})));
  } catch (e) {
    throw asQlabelError(e);
  }
}

/**
 * Whether the first bytes of an image download hold a baked badge: 'badge' (download
 * the rest and verify it), 'not-baked' (stop) or 'more' (read more and ask again).
 * @param {Uint8Array|ArrayBuffer|ArrayBufferView|Blob} bytes
 * @returns {Promise<'badge'|'not-baked'|'more'>}
 */
export async function bakedPrefix(bytes) {
  await init();
  return core.bakedPrefix(await toBytes(bytes));
}

/**
 * The https URL (or http on this machine) in the top-level string field `field` of
 * platform JSON — Open Badge Passport's `assertion_url` — or null.
 * @param {string} text
 * @param {string} field
 * @returns {Promise<string|null>}
 */
export async function followVia(text, field) {
  await init();
  return core.followVia(String(text), String(field)) ?? null;
}

/**
 * A label registry read for listing (the website's registry explorer): its signature is
 * checked against the trust anchors before anything of it is returned. `registry` and
 * `trust` are the documents' JSON text (or parsed JSON); `at` the time its freshness is
 * judged at (default now). Resolves to `{authority: {id, name}, updated, nextUpdate,
 * stale, entries: [{holder: {id, name, ids}, label, status, validFrom, validUntil,
 * certificate, credential, domains, scope}]}`; rejects with a QlabelError (`untrusted`,
 * `bad-signature`, `not-a-registry`, `invalid-json`, `bad-options`).
 * @param {string|object} registry
 * @param {string|object|Array<object>} trust
 * @param {Date|string|number} [at]
 * @returns {Promise<object>}
 */
export async function readRegistry(registry, trust, at) {
  await init();
  const text = (v) => (typeof v === 'string' ? v : JSON.stringify(v));
  const when = at === undefined ? new Date() : new Date(at);
  const iso = Number.isNaN(when.getTime()) ? '' : when.toISOString();
  try {
    return JSON.parse(core.readRegistry(text(registry), text(trust), iso));
  } catch (e) {
    throw asQlabelError(e);
  }
}

// qlabel-wasm: fetching with the platform's `fetch` (browsers, service workers, Node 20).
//
// Every request has a timeout (AbortController) and a byte limit (the body is read as a
// stream and dropped past the limit); only https: is fetched, and http: only on
// loopback. Registries are cached until their `nextUpdate` (at most a day), status
// lists for a few minutes: in memory, and in the Cache API where there is one.
// Failures are objects with a stable `code`, which the wasm side maps to the core's
// fetch errors (each makes the dependent check `unverifiable`, never `valid`).

const CACHE_NAME = 'qlabel-v1';
const STATUS_LIST_SECONDS = 300;
const REGISTRY_DEFAULT_SECONDS = 300;
const REGISTRY_MAX_SECONDS = 86400;
const ACCEPT = {
  json: 'application/ld+json, application/json;q=0.9',
  registry: 'application/ld+json, application/json;q=0.9',
  'status-list': 'application/ld+json, application/json;q=0.9',
  image: 'image/png, image/svg+xml',
  badge: 'application/ld+json, application/json;q=0.9, image/png, image/svg+xml, */*;q=0.1',
};

const memory = new Map(); // url → {expires (ms), response}
const inflight = new Map(); // url → the promise of a registry or status list being fetched

function failure(code, message, extra = {}) {
  return Object.assign({ code, message }, extra);
}

function isLoopback(host) {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Why qlabel will not fetch `url`, or null when it will. */
export function refusal(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (u.username || u.password) return 'carries a user name or password';
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && isLoopback(u.hostname)) return null;
  if (u.protocol === 'http:') return 'is plain http; qlabel fetches only https (and http on this machine)';
  return `uses ${u.protocol.replace(/:$/, '')}:, which qlabel does not fetch`;
}

async function readLimited(response, url, maxBytes, controller) {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    controller.abort();
    throw failure('too-large', `${url} is larger than ${maxBytes} bytes`, { limit: maxBytes });
  }
  if (!response.body || typeof response.body.getReader !== 'function') {
    const buf = new Uint8Array(await response.arrayBuffer());
    if (buf.length > maxBytes) {
      throw failure('too-large', `${url} is larger than ${maxBytes} bytes`, { limit: maxBytes });
    }
    return buf;
  }
  const reader = response.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      controller.abort();
      try { await reader.cancel(); } catch { /* already aborted */ }
      throw failure('too-large', `${url} is larger than ${maxBytes} bytes`, { limit: maxBytes });
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Seconds a cached copy stays fresh, from the document and its headers. */
function freshness(expect, body, headers, now) {
  const maxAge = /max-age=(\d+)/.exec(headers.get('cache-control') || '');
  const noStore = /no-store|no-cache/.test(headers.get('cache-control') || '');
  if (noStore) return 0;
  if (expect === 'status-list') {
    return maxAge ? Math.min(Number(maxAge[1]), STATUS_LIST_SECONDS) : STATUS_LIST_SECONDS;
  }
  // A registry says when it will next be renewed: keep it until then (at most a day).
  let next;
  try {
    const doc = JSON.parse(new TextDecoder().decode(body));
    next = Date.parse(doc?.credentialSubject?.nextUpdate ?? doc?.nextUpdate);
  } catch {
    next = NaN;
  }
  if (Number.isFinite(next)) {
    return Math.max(0, Math.min((next - now) / 1000, REGISTRY_MAX_SECONDS));
  }
  return maxAge ? Math.min(Number(maxAge[1]), REGISTRY_MAX_SECONDS) : REGISTRY_DEFAULT_SECONDS;
}

async function openCache() {
  try {
    if (typeof caches === 'undefined') return null;
    return await caches.open(CACHE_NAME);
  } catch {
    return null; // opaque origins, private modes, Node
  }
}

async function fromCache(url, now) {
  const hit = memory.get(url);
  if (hit && hit.expires > now) return hit.response;
  const cache = await openCache();
  if (!cache) return null;
  try {
    const res = await cache.match(url);
    if (!res) return null;
    const expires = Number(res.headers.get('x-qlabel-expires'));
    if (!(expires > now)) {
      await cache.delete(url);
      return null;
    }
    const response = {
      url: res.headers.get('x-qlabel-url') || url,
      redirects: JSON.parse(res.headers.get('x-qlabel-redirects') || '[]'),
      contentType: res.headers.get('content-type'),
      body: new Uint8Array(await res.arrayBuffer()),
    };
    memory.set(url, { expires, response });
    return response;
  } catch {
    return null;
  }
}

async function toCache(url, response, expires) {
  memory.set(url, { expires, response });
  const cache = await openCache();
  if (!cache) return;
  try {
    const headers = {
      'x-qlabel-expires': String(expires),
      'x-qlabel-url': response.url,
      'x-qlabel-redirects': JSON.stringify(response.redirects),
    };
    if (response.contentType) headers['content-type'] = response.contentType;
    await cache.put(url, new Response(response.body, { headers }));
  } catch {
    // A full or unavailable cache only costs a fetch next time.
  }
}

/** Forgets every cached registry and status list (memory and Cache API). */
export async function clearCache() {
  memory.clear();
  try {
    if (typeof caches !== 'undefined') await caches.delete(CACHE_NAME);
  } catch {
    /* nothing cached */
  }
}

/**
 * A fetcher for one verification: `(url, expect) → Promise<{url, redirects,
 * contentType, body}>`. Each URL is fetched once per fetcher (a verification that
 * loads the second module and runs again does not fetch twice).
 */
export function makeFetcher({ timeoutMs = 10000, maxBytes = 2 * 1024 * 1024, fetchImpl } = {}) {
  const own = new Map();
  const doFetch = fetchImpl || globalThis.fetch?.bind(globalThis);
  return (url, expect) => {
    if (!own.has(url)) own.set(url, fetchOne(url, expect));
    return own.get(url);
  };

  async function fetchOne(url, expect) {
    const refused = refusal(url);
    if (refused) throw failure('refused', `${url} ${refused}`);
    if (!doFetch) throw failure('network', 'this JavaScript runtime has no fetch');
    const cacheable = expect === 'registry' || expect === 'status-list';
    const now = Date.now();
    if (!cacheable) return network(url, expect, now, false);
    const hit = memory.get(url);
    if (hit && hit.expires > now) return hit.response;
    // Verifications running side by side (a page of fifty badges) ask for the same
    // registry at once: one request answers them all.
    let running = inflight.get(url);
    if (!running) {
      running = (async () => (await fromCache(url, now)) ?? (await network(url, expect, now, true)))();
      inflight.set(url, running);
      const forget = () => {
        if (inflight.get(url) === running) inflight.delete(url);
      };
      running.then(forget, forget);
    }
    return running;
  }

  async function network(url, expect, now, cacheable) {
    const controller = new AbortController();
    const seconds = timeoutMs / 1000;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      let res;
      try {
        res = await doFetch(url, {
          signal: controller.signal,
          redirect: 'follow',
          credentials: 'omit',
          headers: { accept: ACCEPT[expect] || ACCEPT.json },
        });
      } catch (e) {
        if (timedOut) throw failure('timeout', `${url} did not answer within ${seconds} s`, { seconds });
        throw failure(
          'network',
          'the request failed: the server could not be reached, or it does not let other sites read it (no CORS header)',
        );
      }
      const finalUrl = res.url || url;
      const redirects = res.redirected && finalUrl !== url ? [finalUrl] : [];
      if (redirects.length) {
        const r = refusal(finalUrl);
        if (r) throw failure('redirect', `redirected to ${finalUrl}, which ${r}`);
      }
      if (!res.ok) throw failure('status', `${url} answered HTTP ${res.status}`, { status: res.status });
      let body;
      try {
        body = await readLimited(res, url, maxBytes, controller);
      } catch (e) {
        if (e && e.code) throw e;
        if (timedOut) throw failure('timeout', `${url} did not answer within ${seconds} s`, { seconds });
        throw failure('network', `reading ${url} failed: ${e && e.message ? e.message : e}`);
      }
      const response = { url: finalUrl, redirects, contentType: res.headers.get('content-type'), body };
      if (cacheable) {
        const keep = freshness(expect, body, res.headers, now);
        if (keep > 0) toCache(url, response, now + keep * 1000);
      }
      return response;
    } finally {
      clearTimeout(timer);
    }
  }
}

function whenAborted(signal) {
  return new Promise((_, reject) => {
    if (!signal) return;
    const fail = () => reject(signal.reason ?? new DOMException('aborted', 'AbortError'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

/**
 * A `fetch` that many verifications can share (the `fetch` option): a GET asked for
 * again within `ttlMs` is answered from the first request (a clone of its response), so
 * fifty badges of one issuer fetch its trust file, its label and its authority once, and
 * requests made at the same moment wait for one another instead of racing. A failed
 * request is forgotten at once. Each caller keeps its own timeout: its abort signal ends
 * its own wait only.
 */
export function shareFetches({ ttlMs = 30000, fetchImpl } = {}) {
  const shared = new Map();
  return function sharedFetch(url, init = {}) {
    const doFetch = fetchImpl ?? globalThis.fetch;
    const method = (init.method || 'GET').toUpperCase();
    if (method !== 'GET' || init.body != null) return doFetch(url, init);
    const { signal, ...rest } = init;
    const key = `${url}\n${JSON.stringify(rest)}`;
    const now = Date.now();
    let entry = shared.get(key);
    if (!entry || now - entry.at > ttlMs) {
      entry = { at: now, response: doFetch(url, rest) };
      shared.set(key, entry);
      const mine = entry;
      entry.response.catch(() => {
        if (shared.get(key) === mine) shared.delete(key);
      });
      // Old entries go, so that a long-lived page or worker does not keep every body.
      for (const [k, e] of shared) if (now - e.at > ttlMs) shared.delete(k);
    }
    return Promise.race([entry.response.then((r) => r.clone()), whenAborted(signal)]);
  };
}

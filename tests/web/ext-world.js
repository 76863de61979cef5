// The extension's test world: imitations of the pages real badge platforms show (a
// LinkedIn certifications list, a Credly badge page, a Badgr backpack, an issuer's own
// site with baked images, a single-page app, a page without badges, a page of 100
// badges, a credential page with a <link rel="alternate">, a Credly embed, a second
// LinkedIn list of edubadges / Open Badge Factory / Open Badge Passport / Cities of
// Learning links, a single-page app navigating with history.pushState, a page with a
// hostile badge) on their real host names, served over https by one Node server on 127.0.0.1
// with a self-signed certificate (Chromium maps the host names to it with
// --host-resolver-rules and ignores the certificate). The badges behind them — OB 2.0
// hosted assertions on api.credly.com and api.eu.badgr.io, OB 3.0 credentials on
// issuer.example, baked PNG and SVG images — and the label authorities' published sites
// on label.example are made at start-up with the qlabel CLI, at the REAL current time
// (the extension's service worker runs on the real clock).
//
// Expectations come from how the world was built; `nativeCheck(world)` confirms each with
// native `qlabel verify --json`: OB 3.0 files directly (the label looked up in the
// published site's folder), and the badges that need the network through "twins" served
// over plain http on 127.0.0.1 (`http://127.0.0.1:PORT/<host>/<path>`), the same
// documents with that origin in place of https://<host>, their issuers holding the same
// labels under both ids.
//
// Used by extension.test.js and bench-extension.mjs.

import { spawn, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { root, qlabel, widgetStatus, chromiumPath, chromiumArgs } from './widget-world.js';
import { DEFAULT_SITES } from '../../extension/src/settings.js';
import { pool } from './support.js';

/** Every host name the world serves (each mapped to the server in Chromium). */
export const HOSTS = [
  'www.linkedin.com',
  'www.credly.com',
  'api.credly.com',
  'eu.badgr.com',
  'api.eu.badgr.io',
  'europa.eu',
  'issuer.example',
  'spa.example',
  'scan.example',
  'label.example',
  'openbadgepassport.com',
  'www.edubadges.nl',
  'api.edubadges.nl',
  'openbadgefactory.com',
  'vilnius.cityoflearning.eu',
];

/** The sites the tests add to the extension's settings (on top of its defaults). */
export const EXTRA_SITES = ['https://issuer.example/*', 'https://spa.example/*'];
/** The extension's own defaults (the tests add EXTRA_SITES on top). */
export { DEFAULT_SITES };

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

const DAY = 86400e3;
/**
 * What the extension shows for an Open Badge Passport link whose platform JSON names no
 * `assertion_url` (observed: see extension.test.js).
 */
export const OBP_NO_ASSERTION = 'error';
/** Markup a hostile badge carries in its names. */
export const HOSTILE = '<img src=x onerror=alert(1)>';
/** RFC 3339 to the second. */
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const esc = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const uuid = () => crypto.randomUUID();
/** A Badgr-style 22-character id. */
const badgrId = () => crypto.randomBytes(16).toString('base64url').slice(0, 22);
const sha256 = (s) => crypto.createHash('sha256').update(s).digest('hex');

/** A self-signed certificate for every host of the world, made with the openssl CLI. */
function makeCert(dir) {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  const san = HOSTS.map((h) => `DNS:${h}`).join(',');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2',
    '-subj', '/CN=qlabel-test', '-addext', `subjectAltName=${san}`,
  ], { stdio: 'ignore' });
  return { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
}

function htmlPage(title, body, { head = '', lang = 'en' } = {}) {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d2226; background: #f4f2ee; }
  header.top { background: #fff; border-bottom: 1px solid #ddd; padding: 8px 24px; }
  main { max-width: 860px; margin: 16px auto; background: #fff; border-radius: 8px; padding: 16px 24px; }
  ul { padding-left: 0; list-style: none; }
  li { padding: 10px 0; border-bottom: 1px solid #eee; }
  img.thumb { width: 48px; height: 48px; vertical-align: middle; }
  .muted { color: #666; font-size: 13px; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
</style>
${head}
</head>
<body>
${body}
</body>
</html>
`;
}

/**
 * Builds the world and starts its servers. `now`: the world's clock (ms; the real time
 * by default). Returns `{hosts, port, origin, httpOrigin, now, nowIso, pages, expect,
 * trustFile, registryUrl, registryFolder, requests, dir, native, notes, close()}` —
 * `pages` {name: url}; `expect` {name: [{sel, status, platform, source, badge}]}, where
 * `sel` is a CSS selector of the element the mark follows (`h1` for a page-level mark)
 * and `badge` names the badge (the same badge twice on a page is listed twice, with the
 * same `badge`); `native` the checks for nativeCheck().
 */
export async function startExtWorld({ now = Math.floor(Date.now() / 1000) * 1000 } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qlabel-ext-world-'));
  const f = (...p) => path.join(dir, ...p);
  for (const d of ['keys', 'work', 'img']) fs.mkdirSync(f(d), { recursive: true });
  const nowIso = iso(now);
  const env = { QLABEL_NOW: nowIso };
  const q = (args, o = {}) => qlabel(args, { ...o, env: { ...env, ...(o.env ?? {}) } });

  // --- The servers first: the twins' origin goes into the labels' holder ids.
  /** site[host][path] = {status, type, body, headers}; twin[host][path] likewise. */
  const site = Object.fromEntries(HOSTS.map((h) => [h, new Map()]));
  const twin = Object.fromEntries(HOSTS.map((h) => [h, new Map()]));
  const requests = [];
  const put = (map, host, p, body, type, extra = {}) =>
    map[host].set(p, { status: 200, type: type ?? TYPES[path.extname(p)] ?? 'application/octet-stream', body, ...extra });
  /** A folder served under host/prefix (the label authorities' published sites). */
  const folders = [];

  const answer = (maps, host, req, res) => {
    const url = new URL(req.url, 'http://x');
    let p = decodeURIComponent(url.pathname);
    requests.push({ host, path: p, query: url.search, at: Date.now(), accept: req.headers.accept ?? '' });
    const cors = host === 'api.credly.com' || host === 'api.eu.badgr.io' ? {} : { 'access-control-allow-origin': '*' };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'access-control-allow-headers': '*', 'access-control-allow-methods': 'GET' }).end();
      return;
    }
    if (p.endsWith('/')) p += 'index.html';
    for (const m of maps) {
      const hit = m[host]?.get(p);
      if (hit) {
        res.writeHead(hit.status, { ...cors, 'content-type': hit.type, 'cache-control': 'no-store', ...(hit.headers ?? {}) });
        res.end(req.method === 'HEAD' ? undefined : hit.body);
        return;
      }
    }
    for (const { host: h, prefix, folder } of folders) {
      if (h !== host || !p.startsWith(prefix)) continue;
      const file = path.resolve(folder, p.slice(prefix.length));
      if (!file.startsWith(folder + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) continue;
      // Status lists have no extension: JSON, as the published site's _headers say.
      const type = TYPES[path.extname(file)] ?? 'application/json';
      res.writeHead(200, { ...cors, 'content-type': type, 'cache-control': 'public, max-age=3600' });
      fs.createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404, { ...cors, 'content-type': 'text/plain' }).end('not found');
  };

  const tls = makeCert(dir);
  const sockets = new Set();
  const track = (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  const server = https.createServer(tls, (req, res) => {
    const host = String(req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    answer([site], host, req, res);
  });
  server.on('connection', track);
  server.on('secureConnection', track);
  // Plain http on 127.0.0.1: /<host>/<path> — the twins, else the https site's file.
  const plain = http.createServer((req, res) => {
    const m = /^\/([a-z0-9.-]+)(\/.*)$/.exec(req.url);
    if (!m || !HOSTS.includes(m[1])) return res.writeHead(404).end('not found');
    req.url = m[2];
    answer([twin, site], m[1], req, res);
  });
  plain.on('connection', track);
  const listen = (s) => new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s.address().port)));
  const port = await listen(server);
  const httpPort = await listen(plain);
  const httpOrigin = `http://127.0.0.1:${httpPort}`;
  const close = () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => plain.close(() => {
        fs.rmSync(dir, { recursive: true, force: true });
        resolve();
      }));
    });

  try {
    /** `https://host` in the world, or its twin's base. */
    const base = (host, twinned) => (twinned ? `${httpOrigin}/${host}` : `https://${host}`);

    // --- Issuers with did:key (OB 3.0 on issuer.example) and URL ids (OB 2.0 platforms).
    const didIssuers = {
      active: 'Active Youth Centre',
      expired: 'Lapsed Learning Lab',
      withdrawn: 'Withdrawn Workshop',
      suspended: 'Suspended Skills School',
      none: 'Unlabelled Union',
      foreign: 'Foreign-labelled Foundation',
      hostile: HOSTILE,
    };
    const issuers = {};
    await Promise.all(
      Object.entries(didIssuers).map(async ([k, name]) => {
        const file = f('keys', `${k}.json`);
        await q(['key', 'generate', '-o', file]);
        issuers[k] = { key: file, id: JSON.parse(fs.readFileSync(file, 'utf8')).controller, name };
      }),
    );
    const credlyOrgs = { labelled: uuid(), none: uuid() };
    const badgrIssuers = { labelled: badgrId(), none: badgrId() };
    // edubadges (labelled) and Open Badge Factory (not labelled) issuers.
    const eduIssuer = badgrId();
    const obfIssuer = crypto.randomBytes(20).toString('hex');
    const eduIssuerId = (t) => `${base('api.edubadges.nl', t)}/public/issuers/${eduIssuer}`;
    const obfIssuerId = (t) => `${base('openbadgefactory.com', t)}/v1/client/${obfIssuer}`;
    const credlyIssuerId = (k, t) => `${base('api.credly.com', t)}/v1/obi/v2/issuers/${credlyOrgs[k]}`;
    const badgrIssuerId = (k, t) => `${base('api.eu.badgr.io', t)}/public/issuers/${badgrIssuers[k]}`;

    // --- Label authorities: A (trusted: the extension's preset) and B (not trusted).
    const authority = async (letter, name, prefix) => {
      const b = `https://label.example${prefix}`;
      const adir = f('work', `authority-${letter}`);
      await q(['authority', 'init', '--name', name, '--id', `${b}/authority.json`, '--base-url', b, '--out', adir]);
      const out = f(`site-${letter}`);
      return { base: b, dir: adir, site: out, prefix: `${prefix}/`, registry: `${b}/registry.json` };
    };
    const A = await authority('a', 'Test Label Authority', '');
    const B = await authority('b', 'Unknown Label Authority', '/b');
    const yearAgo = iso(now - 365 * DAY);
    const award = async (a, holders, name, domains, extra = [], e = {}) =>
      (await q([
        'label', 'award', '--authority', a.dir, '--name', name,
        ...holders.flatMap((h) => ['--holder', h]),
        ...domains.flatMap((d) => ['--domain', d]),
        ...extra,
      ], { env: e })).trim();
    await award(A, [issuers.active.id], issuers.active.name, ['issuer.example'], ['--valid-from', yearAgo]);
    // Awarded four years ago for the default three: expired a year ago.
    await award(A, [issuers.expired.id], issuers.expired.name, ['issuer.example'], [], { QLABEL_NOW: iso(now - 4 * 365 * DAY) });
    const wd = await award(A, [issuers.withdrawn.id], issuers.withdrawn.name, ['issuer.example'], ['--valid-from', yearAgo]);
    await q(['label', 'withdraw', '--authority', A.dir, wd, '--reason', 'standard no longer met']);
    const sp = await award(A, [issuers.suspended.id], issuers.suspended.name, ['issuer.example'], ['--valid-from', yearAgo]);
    await q(['label', 'suspend', '--authority', A.dir, sp, '--reason', 'complaint under review']);
    await award(A, [credlyIssuerId('labelled', false), credlyIssuerId('labelled', true)], 'Credly Labelled Academy', ['www.credly.com'], ['--valid-from', yearAgo]);
    await award(A, [badgrIssuerId('labelled', false), badgrIssuerId('labelled', true)], 'Badgr Labelled College', ['eu.badgr.com'], ['--valid-from', yearAgo]);
    // A labelled issuer whose name (in its label too) is markup.
    await award(A, [issuers.hostile.id], HOSTILE, ['issuer.example'], ['--valid-from', yearAgo]);
    await award(A, [eduIssuerId(false), eduIssuerId(true)], 'Edu Labelled University', ['www.edubadges.nl'], ['--valid-from', yearAgo]);
    await award(B, [issuers.foreign.id], issuers.foreign.name, ['issuer.example'], ['--valid-from', yearAgo]);
    for (const [a, letter] of [[A, 'a'], [B, 'b']]) {
      await q(['registry', 'publish', '--authority', a.dir, '--out', a.site, '--base-url', a.base]);
      const trust = await q(['authority', 'trust', '--authority', a.dir]);
      fs.writeFileSync(f(`trust-${letter}.json`), trust);
      put(site, 'label.example', `/trust/${letter}.json`, trust);
      folders.push({ host: 'label.example', prefix: a.prefix, folder: a.site });
    }
    // B's site is under /b/, so A's folder (prefix /) must not shadow it: most specific first.
    folders.sort((x, y) => y.prefix.length - x.prefix.length);
    const trustFile = f('trust-a.json');

    // --- Images.
    const png = fs.readFileSync(path.join(root, 'samples/blank-badge.png'));
    const svg = fs.readFileSync(path.join(root, 'samples/blank-badge.svg'));
    fs.writeFileSync(f('img/blank.png'), png);
    fs.writeFileSync(f('img/blank.svg'), svg);

    // --- OB 3.0 credentials on issuer.example, signed with the CLI.
    const validFrom = iso(now - 30 * DAY);
    const created = validFrom;
    const unsigned = JSON.parse(fs.readFileSync(path.join(root, 'samples/ob3-unsigned.json'), 'utf8'));
    const credential = (who, slug, o = {}) => {
      const issuer = issuers[who];
      const doc = structuredClone(unsigned);
      doc.id = `https://issuer.example/badges/${slug}.json`;
      doc.issuer = { id: issuer.id, type: ['Profile'], name: issuer.name, url: 'https://issuer.example/' };
      doc.name = o.name ?? 'Teamwork';
      doc.validFrom = o.validFrom ?? validFrom;
      doc.validUntil = o.validUntil ?? iso(now + 3 * 365 * DAY);
      doc.credentialSubject.id = `did:example:learner-${slug}`;
      doc.credentialSubject.achievement.id = `https://issuer.example/achievements/${o.achievement ?? 'teamwork'}`;
      doc.credentialSubject.achievement.name = doc.name;
      doc.credentialSubject.achievement.image = { id: o.image ?? 'https://issuer.example/img/blank.png', type: 'Image' };
      if (o.status) doc.credentialStatus = o.status;
      return doc;
    };
    const sign = async (who, doc, suite = 'jcs') =>
      JSON.parse(await q(['sign', '--key', issuers[who].key, '--suite', suite, '--created', created, '-'], { input: JSON.stringify(doc) }));

    // The active issuer's revocation list (entry 7 set), at issuer.example and at its twin.
    const bits = new Uint8Array(16 * 1024);
    bits[0] |= 0x80 >> 7;
    const statusList = async (listUrl) =>
      sign('active', {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        id: listUrl,
        type: ['VerifiableCredential', 'BitstringStatusListCredential'],
        issuer: issuers.active.id,
        validFrom: iso(now - 365 * DAY),
        credentialSubject: { id: `${listUrl}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: 'u' + zlib.gzipSync(bits).toString('base64url') },
      });
    const entry = (listUrl, index) => ({
      id: `${listUrl}#${index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(index),
      statusListCredential: listUrl,
    });
    const listPath = '/status/revocation.json';
    const listReal = `https://issuer.example${listPath}`;
    const listTwin = `${httpOrigin}/issuer.example${listPath}`;
    put(site, 'issuer.example', listPath, JSON.stringify(await statusList(listReal)));
    put(twin, 'issuer.example', listPath, JSON.stringify(await statusList(listTwin)));

    // [slug, issuer, options, suite, expected mark status]
    const ob3 = [
      ['labelled', 'active', { status: entry(listReal, 3) }, 'jcs', 'labelled'],
      ['labelled-rdfc', 'active', {}, 'rdfc', 'labelled'],
      ['not-labelled', 'none', {}, 'jcs', 'not-labelled'],
      ['label-expired', 'expired', {}, 'jcs', 'expired'],
      ['label-withdrawn', 'withdrawn', {}, 'jcs', 'withdrawn'],
      ['label-suspended', 'suspended', {}, 'jcs', 'suspended'],
      ['untrusted', 'foreign', {}, 'jcs', null], // whatever native qlabel says with registry A
      ['invalid', 'active', {}, 'jcs', 'invalid'],
      ['badge-expired', 'active', { validFrom: iso(now - 400 * DAY), validUntil: iso(now - 10 * DAY) }, 'jcs', 'expired'],
      ['revoked', 'active', { status: entry(listReal, 7) }, 'jcs', 'revoked'],
      ['spa-1', 'active', { name: 'Facilitation' }, 'jcs', 'labelled'],
      ['spa-2', 'none', { name: 'Mentoring' }, 'jcs', 'not-labelled'],
      ['spa-3', 'expired', { name: 'Planning' }, 'jcs', 'expired'],
      ['spa-4', 'withdrawn', { name: 'Outreach' }, 'jcs', 'withdrawn'],
      ['scan-1', 'active', { name: 'Scanned skill' }, 'jcs', 'labelled'],
      ['inline', 'active', { name: 'Inline achievement' }, 'rdfc', 'labelled'],
      // Named by a <link rel="alternate"> in a page's head.
      ['credential', 'active', { name: 'Youth Leadership' }, 'jcs', 'labelled'],
      // A hostile badge: markup in its name and its issuer's (and label holder's) name, a
      // javascript: URL as its image; validly signed by that labelled issuer.
      ['hostile', 'hostile', { name: HOSTILE, image: 'javascript:alert(1)' }, 'jcs', 'labelled'],
    ];
    const cycle = [['active', 'labelled'], ['none', 'not-labelled'], ['expired', 'expired'], ['withdrawn', 'withdrawn'], ['active', 'labelled']];
    for (let i = 1; i <= 100; i++) {
      const [who, st] = cycle[(i - 1) % cycle.length];
      ob3.push([`h-${String(i).padStart(3, '0')}`, who, { name: `Skill ${i}`, achievement: `skill-${i}` }, 'jcs', st]);
    }
    const signed = {};
    await pool(ob3, 6, async ([slug, who, o, suite]) => {
      signed[slug] = await sign(who, credential(who, slug, o), suite);
    });
    // Tampered after signing.
    signed.invalid.name = 'Leadership';
    signed.invalid.credentialSubject.achievement.name = 'Leadership';
    fs.mkdirSync(f('badges'));
    for (const [slug] of ob3) {
      const text = JSON.stringify(signed[slug], null, 2);
      fs.writeFileSync(f('badges', `${slug}.json`), text);
      put(site, 'issuer.example', `/badges/${slug}.json`, text, 'application/ld+json');
    }
    // The revoked badge's twin names the twin's list (same key, same bit).
    // (So does the labelled one's, entry 3 not set.)
    const twinned = { revoked: 7, labelled: 3 };
    for (const [slug, index] of Object.entries(twinned)) {
      const doc = await sign('active', credential('active', slug, { status: entry(listTwin, index) }));
      put(twin, 'issuer.example', `/badges/${slug}.json`, JSON.stringify(doc), 'application/ld+json');
    }
    const ob3Expect = Object.fromEntries(ob3.map(([slug, , , , st]) => [slug, st]));

    // Baked images (PNG with an rdfc credential, SVG with a jcs one), and their plain twins.
    await q(['bake', f('badges', 'labelled-rdfc.json'), f('img/blank.png'), '-o', f('img/baked.png')]);
    await q(['bake', f('badges', 'label-expired.json'), f('img/blank.svg'), '-o', f('img/baked.svg')]);
    for (const n of ['blank.png', 'blank.svg', 'baked.png', 'baked.svg']) put(site, 'issuer.example', `/img/${n}`, fs.readFileSync(f('img', n)));
    put(site, 'issuer.example', '/img/photo.png', png);
    put(site, 'spa.example', '/img/logo.png', png);

    // --- OB 2.0 hosted assertions on Credly's and Badgr's API hosts (and their twins).
    const OB2 = 'https://w3id.org/openbadges/v2';
    const ob2Docs = (t) => {
      const docs = [];
      const profile = (id, name, url) => ({ '@context': OB2, type: 'Issuer', id, name, url, email: 'badges@example.org' });
      const badgeClass = (id, name, issuerId, image) => ({
        '@context': OB2, type: 'BadgeClass', id, name,
        description: `${name}: an achievement for the qlabel extension tests.`,
        image, criteria: { narrative: `Showed ${name.toLowerCase()} in a project.` }, issuer: issuerId,
      });
      const assertion = (id, badge, extra = {}) => ({
        '@context': OB2, type: 'Assertion', id,
        recipient: { type: 'email', hashed: true, salt: 'qlabel', identity: `sha256$${sha256('learner@example.orgqlabel')}` },
        badge, issuedOn: validFrom, verification: { type: 'hosted' }, ...extra,
      });
      const cb = base('api.credly.com', t);
      for (const k of ['labelled', 'none']) {
        docs.push(['api.credly.com', `/v1/obi/v2/issuers/${credlyOrgs[k]}`, profile(credlyIssuerId(k, t), k === 'labelled' ? 'Credly Labelled Academy' : 'Credly Plain Institute', `https://www.credly.com/organizations/${k}`)]);
      }
      return { docs, profile, badgeClass, assertion, cb, bb: base('api.eu.badgr.io', t) };
    };
    const credly = {
      labelled: { id: uuid(), cls: uuid(), org: 'labelled', name: 'Cloud Practitioner', status: 'labelled' },
      none: { id: uuid(), cls: uuid(), org: 'none', name: 'Data Literacy', status: 'not-labelled' },
      // 410 Gone: platforms.md says a revoked assertion answers so; what that makes is
      // left to native qlabel (null).
      revoked: { id: uuid(), cls: uuid(), org: 'labelled', name: 'Agile Basics', status: null, gone: true },
      // Shown with Credly's embed code on the issuer's site.
      embedded: { id: uuid(), cls: uuid(), org: 'labelled', name: 'Community Builder', status: 'labelled' },
    };
    // edubadges (a Badgr fork, OB 2.0 on api.edubadges.nl) and Open Badge Factory.
    const edu = { id: badgrId(), cls: badgrId(), name: 'Research Methods', status: 'labelled' };
    const obf = { id: crypto.randomBytes(20).toString('hex'), cls: crypto.randomBytes(20).toString('hex'), name: 'Volunteer Coordinator', status: 'not-labelled' };
    const badgr = {
      labelled: { id: badgrId(), cls: badgrId(), iss: 'labelled', name: 'Digital Citizenship', status: 'labelled' },
      none: { id: badgrId(), cls: badgrId(), iss: 'none', name: 'Peer Tutoring', status: 'not-labelled' },
      revoked: { id: badgrId(), cls: badgrId(), iss: 'labelled', name: 'Lab Safety', status: 'revoked', revoked: true },
    };
    for (const t of [false, true]) {
      const map = t ? twin : site;
      const { docs, profile, badgeClass, assertion, cb, bb } = ob2Docs(t);
      for (const [host, p, doc] of docs) put(map, host, p, JSON.stringify(doc), 'application/json');
      for (const b of Object.values(credly)) {
        const cls = `${cb}/v1/obi/v2/badge_classes/${b.cls}`;
        put(map, 'api.credly.com', `/v1/obi/v2/badge_classes/${b.cls}`, JSON.stringify(badgeClass(cls, b.name, credlyIssuerId(b.org, t), 'https://www.credly.com/images/badge.png')), 'application/json');
        const a = assertion(`${cb}/v1/obi/v2/badge_assertions/${b.id}`, cls);
        // A revoked Credly badge: the assertion URL answers 410 Gone (platforms.md).
        if (b.gone) map['api.credly.com'].set(`/v1/obi/v2/badge_assertions/${b.id}`, { status: 410, type: 'application/json', body: JSON.stringify({ id: a.id, revoked: true, revocationReason: 'revoked by the issuer' }) });
        else put(map, 'api.credly.com', `/v1/obi/v2/badge_assertions/${b.id}`, JSON.stringify(a), 'application/json');
      }
      for (const k of ['labelled', 'none']) {
        put(map, 'api.eu.badgr.io', `/public/issuers/${badgrIssuers[k]}`, JSON.stringify(profile(badgrIssuerId(k, t), k === 'labelled' ? 'Badgr Labelled College' : 'Badgr Plain School', `https://eu.badgr.com/public/issuers/${badgrIssuers[k]}`)), 'application/json');
      }
      for (const b of Object.values(badgr)) {
        const cls = `${bb}/public/badges/${b.cls}`;
        put(map, 'api.eu.badgr.io', `/public/badges/${b.cls}`, JSON.stringify(badgeClass(cls, b.name, badgrIssuerId(b.iss, t), `${bb}/public/badges/${b.cls}/image`)), 'application/json');
        const extra = b.revoked ? { revoked: true, revocationReason: 'awarded by mistake' } : {};
        put(map, 'api.eu.badgr.io', `/public/assertions/${b.id}`, JSON.stringify(assertion(`${bb}/public/assertions/${b.id}`, cls, extra)), 'application/json');
      }
      {
        const eb = base('api.edubadges.nl', t);
        put(map, 'api.edubadges.nl', `/public/issuers/${eduIssuer}`, JSON.stringify(profile(eduIssuerId(t), 'Edu Labelled University', 'https://www.edubadges.nl/')), 'application/json');
        const cls = `${eb}/public/badges/${edu.cls}`;
        put(map, 'api.edubadges.nl', `/public/badges/${edu.cls}`, JSON.stringify(badgeClass(cls, edu.name, eduIssuerId(t), `${eb}/public/badges/${edu.cls}/image`)), 'application/json');
        put(map, 'api.edubadges.nl', `/public/assertions/${edu.id}`, JSON.stringify(assertion(`${eb}/public/assertions/${edu.id}`, cls)), 'application/json');
        const ob = base('openbadgefactory.com', t);
        put(map, 'openbadgefactory.com', `/v1/client/${obfIssuer}`, JSON.stringify(profile(obfIssuerId(t), 'Factory Plain Guild', 'https://openbadgefactory.com/')), 'application/json');
        const ocls = `${ob}/v1/badge/${obf.cls}`;
        put(map, 'openbadgefactory.com', `/v1/badge/${obf.cls}`, JSON.stringify(badgeClass(ocls, obf.name, obfIssuerId(t), `${ob}/v1/badge/${obf.cls}.png`)), 'application/json');
        put(map, 'openbadgefactory.com', `/v1/assertion/${obf.id}`, JSON.stringify(assertion(`${ob}/v1/assertion/${obf.id}`, ocls)), 'application/json');
      }
    }
    put(site, 'www.credly.com', '/images/badge.png', png);
    put(site, 'api.eu.badgr.io', '/img/badge.png', png);
    // Open Badge Passport's platform JSON: 123 names Badgr's revoked assertion in its
    // `assertion_url`; 124 names none.
    const obpAssertion = `https://api.eu.badgr.io/public/assertions/${badgr.revoked.id}`;
    put(site, 'openbadgepassport.com', '/app/obpv1/badge/info/123', JSON.stringify({ id: 123, name: badgr.revoked.name, issuer_content_name: 'Badgr Labelled College', assertion_url: obpAssertion, visibility: 'public' }), 'application/json');
    put(site, 'openbadgepassport.com', '/app/obpv1/badge/info/124', JSON.stringify({ id: 124, name: 'Orphan badge', issuer_content_name: 'Nobody', visibility: 'public' }), 'application/json');

    // --- Pages.
    const pages = {};
    const world_notes = {};
    const expect = {};
    const ll = (u) => `https://www.linkedin.com/redir/redirect?url=${encodeURIComponent(u)}&urlhash=${crypto.randomBytes(2).toString('hex')}`;
    const rnd = () => crypto.randomBytes(3).toString('hex');

    // (1) LinkedIn: licences & certifications, rows as platforms.md describes, class names
    // made up afresh at each start (they change often on LinkedIn).
    {
      const c = { list: `pvs-list__${rnd()}`, item: `pvs-list__paged-list-item artdeco-list__item ${rnd()}`, t: `t-bold ${rnd()}`, n: `t-14 t-normal ${rnd()}`, btn: `artdeco-button artdeco-button--secondary ${rnd()}` };
      const europass = `https://europa.eu/europass/digital-credentials/credential/${uuid()}`;
      const rows = [
        { title: credly.labelled.name, org: 'Credly Labelled Academy', href: ll(`https://www.credly.com/badges/${credly.labelled.id}/public_url`), key: credly.labelled.id, status: credly.labelled.status, platform: 'credly', badge: `credly:${credly.labelled.id}` },
        { title: credly.none.name, org: 'Credly Plain Institute', href: ll(`https://www.credly.com/badges/${credly.none.id}?source=linked_in_profile`), key: credly.none.id, status: credly.none.status, platform: 'credly', badge: `credly:${credly.none.id}` },
        { title: credly.revoked.name, org: 'Credly Labelled Academy', href: ll(`https://www.credly.com/badges/${credly.revoked.id}?source=linked_in_profile`), key: credly.revoked.id, status: credly.revoked.status, platform: 'credly', badge: `credly:${credly.revoked.id}` },
        { title: badgr.labelled.name, org: 'Badgr Labelled College', href: ll(`https://eu.badgr.com/public/assertions/${badgr.labelled.id}`), key: badgr.labelled.id, status: 'labelled', platform: 'badgr', badge: `badgr:${badgr.labelled.id}` },
        // LinkedIn's other wrapper (platforms.md): safety/go?url=….
        { title: badgr.none.name, org: 'Badgr Plain School', href: `https://www.linkedin.com/safety/go?url=${encodeURIComponent(`https://eu.badgr.com/public/assertions/${badgr.none.id}`)}&trk=flagship-messaging-web`, key: badgr.none.id, status: 'not-labelled', platform: 'badgr', badge: `badgr:${badgr.none.id}` },
        { title: 'Teamwork', org: issuers.expired.name, href: ll('https://issuer.example/badges/label-expired.json'), key: encodeURIComponent('badges/label-expired.json'), status: ob3Expect['label-expired'], platform: 'generic', badge: 'ob3:label-expired' },
        { title: 'Europass Digital Credential: Youth Work', org: 'European Commission', href: ll(europass), key: encodeURIComponent(europass), status: 'unverifiable', platform: 'europass', badge: 'europass' },
      ];
      const items = rows.map((r, i) => `
<li class="${c.item}">
  <div data-view-name="profile-component-entity" class="${rnd()}">
    <a class="${rnd()}" href="https://www.linkedin.com/company/${1000 + i}/"><img class="thumb" src="/img/company.png" alt="${esc(r.org)} logo"></a>
    <div class="${rnd()}">
      <div class="${c.t}"><span aria-hidden="true">${esc(r.title)}</span><span class="visually-hidden">${esc(r.title)}</span></div>
      <span class="${c.n}"><span aria-hidden="true">${esc(r.org)}</span></span>
      <span class="${c.n} muted"><span aria-hidden="true">Issued Mar 2026</span></span>
      <span class="${c.n} muted"><span aria-hidden="true">Credential ID ${esc(r.key.slice(0, 12))}</span></span>
      <div class="${rnd()}"><a class="${c.btn}" target="_blank" href="${esc(r.href)}" id="ember${400 + i}"><span>Show credential</span></a></div>
    </div>
  </div>
</li>`);
      put(site, 'www.linkedin.com', '/img/company.png', png);
      put(site, 'www.linkedin.com', '/in/learner/details/certifications/index.html', htmlPage('Licenses & certifications | Lea Learner | LinkedIn', `
<header class="top"><a href="https://www.linkedin.com/feed/">Home</a> · <a href="https://www.linkedin.com/mynetwork/">My Network</a> · <a href="https://www.linkedin.com/jobs/">Jobs</a></header>
<main>
<section class="artdeco-card ${rnd()}">
  <div class="${rnd()}"><a href="https://www.linkedin.com/in/learner/">← Lea Learner</a></div>
  <h2 class="t-20 ${rnd()}">Licenses &amp; certifications</h2>
  <ul class="${c.list}">${items.join('')}
  </ul>
  <p class="muted">See also <a href="${esc(ll('https://acme.example/about'))}">Acme's website</a>, <a href="https://www.linkedin.com/company/acme/">Acme on LinkedIn</a>, <a href="https://www.linkedin.com/in/learner/details/skills/">Skills</a>, <a href="https://www.linkedin.com/help/linkedin/answer/credentials">Help: credentials</a>.</p>
</section>
</main>`));
      pages.linkedin = 'https://www.linkedin.com/in/learner/details/certifications/';
      expect.linkedin = rows.map((r) => ({ sel: `a[href*="${r.key}"]`, status: r.status, platform: r.platform, source: 'link', badge: r.badge }));
    }

    // (2) Credly: a badge page; the page itself is the badge.
    {
      const b = credly.labelled;
      put(site, 'www.credly.com', `/badges/${b.id}`, htmlPage(`${b.name} - Credly`, `
<header class="top"><a href="https://www.credly.com/"><img src="/images/badge.png" alt="Credly" width="24"> Credly</a></header>
<main>
  <div class="c-badge-detail"><img class="thumb" src="/images/badge.png" alt="${esc(b.name)}" width="120" height="120"></div>
  <h1 class="ac-heading">${esc(b.name)}</h1>
  <p>Issued by <a href="https://www.credly.com/organizations/labelled">Credly Labelled Academy</a></p>
  <p class="muted">Issued on March 1, 2026 to Lea Learner</p>
  <p>Skills: <a href="https://www.credly.com/skills/cloud">Cloud</a>, <a href="https://www.credly.com/skills/aws">AWS</a></p>
  <p><a href="https://www.credly.com/users/lea-learner">Lea Learner's profile</a> · <a href="https://www.credly.com/earner/earned">Earned badges</a></p>
</main>`), TYPES['.html']);
      pages.credly = `https://www.credly.com/badges/${b.id}`;
      expect.credly = [{ sel: 'h1', status: 'labelled', platform: 'credly', source: 'page', badge: `credly:${b.id}` }];
    }

    // (3) Badgr: a public collection (backpack) listing assertion links; one badge twice.
    {
      const coll = badgrId();
      const link = (b, text) => `<a href="https://eu.badgr.com/public/assertions/${b.id}?identity__email=learner%40example.org">${esc(text)}</a>`;
      put(site, 'eu.badgr.com', `/public/collections/${coll}`, htmlPage('My badges - Badgr', `
<header class="top"><a href="https://eu.badgr.com/">Badgr</a></header>
<main>
  <h1>Lea's collection</h1>
  <ul class="bg-collection">
    <li><img class="thumb" src="https://api.eu.badgr.io/img/badge.png" alt="${esc(badgr.labelled.name)}"> ${link(badgr.labelled, badgr.labelled.name)} <span class="muted">Badgr Labelled College</span></li>
    <li>${link(badgr.none, badgr.none.name)} <span class="muted">Badgr Plain School</span></li>
    <li>${link(badgr.revoked, badgr.revoked.name)} <span class="muted">Badgr Labelled College</span></li>
  </ul>
  <p>Featured: ${link(badgr.labelled, `${badgr.labelled.name} (featured)`)}</p>
  <p class="muted"><a href="https://eu.badgr.com/auth/login">Sign in</a> · <a href="https://eu.badgr.com/public/issuers/${badgrIssuers.labelled}">Issuer</a></p>
</main>`), TYPES['.html']);
      for (const b of Object.values(badgr)) {
        put(site, 'eu.badgr.com', `/public/assertions/${b.id}`, htmlPage(`${b.name} - Badgr`, `<main><h1>${esc(b.name)}</h1></main>`), TYPES['.html']);
      }
      pages.badgr = `https://eu.badgr.com/public/collections/${coll}`;
      const e = (b, sel) => ({ sel, status: b.status, platform: 'badgr', source: 'link', badge: `badgr:${b.id}` });
      world_notes.badgrDuplicate = `/public/assertions/${badgr.labelled.id}`;
      expect.badgr = [
        e(badgr.labelled, `li a[href*="${badgr.labelled.id}"]`),
        e(badgr.none, `a[href*="${badgr.none.id}"]`),
        e(badgr.revoked, `a[href*="${badgr.revoked.id}"]`),
        e(badgr.labelled, `p a[href*="${badgr.labelled.id}"]`),
      ];
    }

    // (4) Baked images on the issuer's site.
    put(site, 'issuer.example', '/baked.html', htmlPage('Our badges as images - Issuer', `
<main>
  <h1>Badges you can download</h1>
  <p><img id="baked-png" src="/img/baked.png" alt="Teamwork badge" width="96" height="96"> Teamwork (PNG)</p>
  <p><img id="baked-svg" src="/img/baked.svg" alt="Teamwork badge (SVG)" width="96" height="96"> Teamwork (SVG)</p>
  <p><img id="plain-badge" src="/img/blank.png" alt="badge" width="96" height="96"> A badge design without a credential in it</p>
  <p><img id="photo" src="/img/photo.png" alt="Our team at the summer camp" width="96" height="96"></p>
  <p><a href="/">Home</a> · <a href="/plain.html">About us</a></p>
</main>`), TYPES['.html']);
    pages.baked = 'https://issuer.example/baked.html';
    expect.baked = [
      { sel: '#baked-png', status: ob3Expect['labelled-rdfc'], platform: 'baked', source: 'image', badge: 'ob3:labelled-rdfc' },
      { sel: '#baked-svg', status: ob3Expect['label-expired'], platform: 'baked', source: 'image', badge: 'ob3:label-expired' },
    ];

    // (5) A single-page app: nothing at load; two badges after 1 s, one more at 2.5 s,
    // one more on a click of "Load more"; a ticking clock and a growing log after that.
    put(site, 'spa.example', '/app.js', `
const app = document.getElementById('app');
const card = (slug, name) => {
  const li = document.createElement('li');
  li.className = 'card';
  const a = document.createElement('a');
  a.href = 'https://issuer.example/badges/' + slug + '.json';
  a.textContent = name;
  a.dataset.slug = slug;
  li.append(a, ' ', Object.assign(document.createElement('span'), { className: 'muted', textContent: 'verified credential' }));
  return li;
};
setTimeout(() => {
  app.innerHTML = '<h1>Lea\\'s achievements</h1><ul id="list"></ul><button id="more" type="button">Load more</button><p id="clock" class="muted"></p><ol id="log"></ol>';
  const list = document.getElementById('list');
  list.append(card('spa-1', 'Facilitation'), card('spa-2', 'Mentoring'));
  document.getElementById('more').addEventListener('click', () => list.append(card('spa-4', 'Outreach')), { once: true });
  setTimeout(() => list.append(card('spa-3', 'Planning')), 1500);
  let n = 0;
  const tick = setInterval(() => {
    document.getElementById('clock').textContent = 'Updated ' + new Date().toLocaleTimeString();
    list.classList.toggle('odd');
    const li = document.createElement('li');
    li.textContent = 'Activity ' + (++n);
    document.getElementById('log').append(li);
    if (n >= 40) clearInterval(tick);
  }, 300);
  window.spaReady = true;
}, 1000);
`, TYPES['.js']);
    put(site, 'spa.example', '/index.html', htmlPage('Lea Learner - portfolio', `<header class="top"><img src="/img/logo.png" alt="logo" width="24"> Portfolio</header>\n<main id="app"></main>\n<script src="/app.js"></script>`), TYPES['.html']);
    pages.spa = 'https://spa.example/';
    expect.spa = ['spa-1', 'spa-2', 'spa-3', 'spa-4'].map((s) => ({ sel: `a[data-slug="${s}"]`, status: ob3Expect[s], platform: 'generic', source: 'link', badge: `ob3:${s}` }));
    // Before the click: the first three.
    expect.spaBeforeClick = expect.spa.slice(0, 3);

    // (6) A page without badges: ordinary links and images.
    {
      const links = Array.from({ length: 60 }, (_, i) => `<li><a href="https://issuer.example/news/${2026 - (i % 5)}/item-${i}.html">News item ${i}</a> <img src="/img/photo.png" alt="Photo ${i}" width="24" height="24"></li>`);
      put(site, 'issuer.example', '/plain.html', htmlPage('About us - Issuer', `
<main>
  <h1>About us</h1>
  <p>We run youth projects. <a href="https://www.linkedin.com/company/issuer/">LinkedIn</a> · <a href="https://www.credly.com/organizations/labelled">Credly</a> · <a href="https://eu.badgr.com/public/issuers/${badgrIssuers.labelled}">Badgr</a> · <a href="/contact.html">Contact</a> · <a href="/docs/report.pdf">Annual report</a></p>
  <ul>${links.join('\n')}</ul>
</main>`), TYPES['.html']);
      pages.plain = 'https://issuer.example/plain.html';
      expect.plain = [];
    }

    // (7) 100 badge links.
    {
      const items = Array.from({ length: 100 }, (_, i) => {
        const slug = `h-${String(i + 1).padStart(3, '0')}`;
        return `<li><a href="https://issuer.example/badges/${slug}.json">Skill ${i + 1}</a></li>`;
      });
      put(site, 'issuer.example', '/hundred.html', htmlPage('All our badges - Issuer', `<main><h1>All 100 badges</h1><ul>${items.join('\n')}</ul></main>`), TYPES['.html']);
      pages.hundred = 'https://issuer.example/hundred.html';
      expect.hundred = Array.from({ length: 100 }, (_, i) => {
        const slug = `h-${String(i + 1).padStart(3, '0')}`;
        return { sel: `a[href$="/${slug}.json"]`, status: ob3Expect[slug], platform: 'generic', source: 'link', badge: `ob3:${slug}` };
      });
    }

    // (8) The issuer's badge list: every state of OB 3.0, and an inline JSON-LD credential.
    {
      const slugs = ['labelled', 'labelled-rdfc', 'not-labelled', 'label-withdrawn', 'label-suspended', 'untrusted', 'invalid', 'badge-expired', 'revoked'];
      const inline = JSON.stringify(signed.inline).replace(/</g, '\\u003c');
      put(site, 'issuer.example', '/badges.html', htmlPage('Badges we issued - Issuer', `
<main>
  <h1>Badges we issued</h1>
  <script type="application/ld+json">${inline}</script>
  <ul>${slugs.map((s) => `\n    <li><a href="/badges/${s}.json">${esc(s)}</a></li>`).join('')}
  </ul>
  <p><a href="/plain.html">About us</a> · <a href="/baked.html">Images</a> · <a href="/hundred.html">All badges</a></p>
</main>`), TYPES['.html']);
      pages.issuer = 'https://issuer.example/badges.html';
      expect.issuer = [
        { sel: 'h1', status: ob3Expect.inline, platform: 'inline', source: 'script', badge: 'ob3:inline' },
        ...slugs.map((s) => ({ sel: `a[href="/badges/${s}.json"]`, status: ob3Expect[s], platform: 'generic', source: 'link', badge: `ob3:${s}` })),
      ];
    }

    // (9) A site not in the list: scanned only on request (the popup's #scan).
    put(site, 'scan.example', '/index.html', htmlPage('Scan me', `<main><h1>A page scanned on request</h1><p><a id="b" href="https://issuer.example/badges/scan-1.json">Scanned skill</a> · <a href="https://scan.example/about">About</a></p></main>`), TYPES['.html']);
    pages.scan = 'https://scan.example/';
    expect.scan = [{ sel: '#b', status: ob3Expect['scan-1'], platform: 'generic', source: 'link', badge: 'ob3:scan-1' }];

    // (10) A credential page naming its machine-readable form in <head>: one page-level mark.
    put(site, 'issuer.example', '/credential.html', htmlPage('Youth Leadership - Issuer', `
<main>
  <h1>Youth Leadership</h1>
  <p>Awarded to Lea Learner for leading a youth exchange. <a href="/plain.html">About us</a></p>
</main>`, { head: '<link rel="alternate" type="application/ld+json" href="/badges/credential.json">' }), TYPES['.html']);
    pages.alternate = 'https://issuer.example/credential.html';
    expect.alternate = [{ sel: 'h1', status: ob3Expect.credential, platform: 'generic', source: 'alternate', badge: 'ob3:credential' }];

    // (11) Credly's embed code on the issuer's site (its script left out: no outside network).
    put(site, 'issuer.example', '/embed.html', htmlPage('Our Credly badge - Issuer', `
<main>
  <h1>Show your badge</h1>
  <div id="credly-embed" data-iframe-width="150" data-iframe-height="270" data-share-badge-id="${credly.embedded.id}" data-share-badge-host="https://www.credly.com"></div>
  <p><a href="/plain.html">About us</a></p>
</main>`), TYPES['.html']);
    pages.embed = 'https://issuer.example/embed.html';
    expect.embed = [{ sel: '#credly-embed', status: credly.embedded.status, platform: 'credly', source: 'embed', badge: `credly:${credly.embedded.id}` }];

    // (12) Another LinkedIn list: edubadges, Open Badge Factory, Open Badge Passport (one
    // platform JSON with an assertion_url, one without) and Cities of Learning (link-only).
    {
      const rows = [
        { id: 'ql-edu', title: edu.name, href: `https://www.edubadges.nl/public/assertions/${edu.id}`, status: edu.status, platform: 'edubadges', badge: `edubadges:${edu.id}` },
        { id: 'ql-obf', title: obf.name, href: ll(`https://openbadgefactory.com/v1/assertion/${obf.id}.html`), status: obf.status, platform: 'obf', badge: `obf:${obf.id}` },
        { id: 'ql-obp', title: badgr.revoked.name, href: ll('https://openbadgepassport.com/app/badge/info/123'), status: badgr.revoked.status, platform: 'obp', badge: `badgr:${badgr.revoked.id}` },
        // No assertion_url: what the extension shows is OBP_NO_ASSERTION (the test asserts it).
        { id: 'ql-obp-none', title: 'Orphan badge', href: 'https://openbadgepassport.com/app/badge/info/124', status: OBP_NO_ASSERTION, platform: 'obp', badge: 'obp:124' },
        { id: 'ql-col', title: 'Vilnius City of Learning: Urban Explorer', href: ll('https://vilnius.cityoflearning.eu/badges/123'), status: 'unverifiable', platform: 'cities-of-learning', badge: 'col:123' },
      ];
      const items = rows.map((r, i) => `
<li class="pvs-list__paged-list-item ${rnd()}">
  <div data-view-name="profile-component-entity">
    <img class="thumb" src="/img/company.png" alt="">
    <div class="t-bold ${rnd()}"><span aria-hidden="true">${esc(r.title)}</span></div>
    <span class="t-14 muted">Issued Feb 2026</span>
    <div><a class="artdeco-button ${rnd()}" id="${r.id}" target="_blank" href="${esc(r.href)}"><span>Show credential</span></a></div>
  </div>
</li>`);
      put(site, 'www.linkedin.com', '/in/learner-two/details/certifications/index.html', htmlPage('Licenses & certifications | Leo Learner | LinkedIn', `
<header class="top"><a href="https://www.linkedin.com/feed/">Home</a></header>
<main><section><h2>Licenses &amp; certifications</h2><ul class="pvs-list__${rnd()}">${items.join('')}
</ul></section></main>`));
      pages.platforms = 'https://www.linkedin.com/in/learner-two/details/certifications/';
      expect.platforms = rows.map((r) => ({ sel: `#${r.id}`, status: r.status, platform: r.platform, source: 'link', badge: r.badge }));
    }

    // (13) A single-page app that navigates with history.pushState: a click on "Next"
    // replaces the list (spa-1, spa-2) with another (spa-3, spa-4 and spa-1 again) under a
    // new URL.
    put(site, 'spa.example', '/nav/app.js', `
const list = document.getElementById('list');
const card = (slug, name) => {
  const li = document.createElement('li');
  const a = document.createElement('a');
  a.href = 'https://issuer.example/badges/' + slug + '.json';
  a.textContent = name;
  a.dataset.slug = slug;
  li.append(a);
  return li;
};
list.replaceChildren(card('spa-1', 'Facilitation'), card('spa-2', 'Mentoring'));
document.getElementById('next').addEventListener('click', () => {
  history.pushState({ page: 2 }, '', '/nav/page-2');
  document.getElementById('title').textContent = 'Page 2';
  list.replaceChildren(card('spa-3', 'Planning'), card('spa-4', 'Outreach'), card('spa-1', 'Facilitation (again)'));
});
`, TYPES['.js']);
    put(site, 'spa.example', '/nav/index.html', htmlPage('Navigating portfolio', `<main><h1 id="title">Page 1</h1><ul id="list"></ul><button id="next" type="button">Next</button></main>
<script src="/nav/app.js"></script>`), TYPES['.html']);
    pages.spaNav = 'https://spa.example/nav/';
    const navExpect = (s) => ({ sel: `a[data-slug="${s}"]`, status: ob3Expect[s], platform: 'generic', source: 'link', badge: `ob3:${s}` });
    expect.spaNavBefore = ['spa-1', 'spa-2'].map(navExpect);
    expect.spaNavAfter = ['spa-3', 'spa-4', 'spa-1'].map(navExpect);
    world_notes.spaNavUrl = 'https://spa.example/nav/page-2';

    // (14) A hostile badge (markup in its names, a javascript: image) linked from a page.
    put(site, 'issuer.example', '/hostile.html', htmlPage('Hostile - Issuer', `<main><h1>A badge with markup in its name</h1><p><a id="hostile" href="/badges/hostile.json">${esc(HOSTILE)}</a></p></main>`), TYPES['.html']);
    pages.hostile = 'https://issuer.example/hostile.html';
    expect.hostile = [{ sel: '#hostile', status: ob3Expect.hostile, platform: 'generic', source: 'link', badge: 'ob3:hostile' }];

    // Native checks: [badge key, input (file or twin URL), the status it must have].
    const native = [];
    for (const [slug, , , , st] of ob3) {
      if (slug.startsWith('h-') && Number(slug.slice(2)) > 5) continue; // the crowd repeats the first five
      const input = slug in twinned ? `${httpOrigin}/issuer.example/badges/${slug}.json` : f('badges', `${slug}.json`);
      native.push({ badge: `ob3:${slug}`, input, status: st });
    }
    native.push({ badge: 'baked:png', input: f('img/baked.png'), status: ob3Expect['labelled-rdfc'] });
    native.push({ badge: 'baked:svg', input: f('img/baked.svg'), status: ob3Expect['label-expired'] });
    for (const b of Object.values(credly)) native.push({ badge: `credly:${b.id}`, input: `${httpOrigin}/api.credly.com/v1/obi/v2/badge_assertions/${b.id}`, status: b.status });
    for (const b of Object.values(badgr)) native.push({ badge: `badgr:${b.id}`, input: `${httpOrigin}/api.eu.badgr.io/public/assertions/${b.id}`, status: b.status });
    native.push({ badge: `edubadges:${edu.id}`, input: `${httpOrigin}/api.edubadges.nl/public/assertions/${edu.id}`, status: edu.status });
    native.push({ badge: `obf:${obf.id}`, input: `${httpOrigin}/openbadgefactory.com/v1/assertion/${obf.id}`, status: obf.status });

    return {
      hosts: HOSTS,
      port,
      origin: `https://127.0.0.1:${port}`,
      httpOrigin,
      now,
      nowIso,
      dir,
      pages,
      expect,
      trustFile,
      trustFileB: f('trust-b.json'),
      registryUrl: A.registry,
      registryFolder: path.join(A.site, 'registry.json'),
      native,
      notes: world_notes,
      requests,
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/** `--host-resolver-rules` mapping every host of the world to the server. */
export const resolverRules = (world) => world.hosts.map((h) => `MAP ${h} 127.0.0.1:${world.port}`).join(', ');

/**
 * Native qlabel's verdict on every badge of `world.native`: resolves to `[{badge, input,
 * status (expected, null = none fixed), got, report}]`, `got` the mark status the report
 * stands for ('error' when qlabel could not read it).
 */
export async function nativeCheck(world) {
  return pool(world.native, 6, async (n) => {
    const args = ['verify', n.input, '--json', '--at', world.nowIso, '--trust', world.trustFile, '--registry', world.registryFolder];
    try {
      const report = JSON.parse(await qlabel(args, { okCodes: [0, 1, 3], env: { QLABEL_NOW: world.nowIso } }));
      return { ...n, got: widgetStatus(report), report };
    } catch (e) {
      return { ...n, got: 'error', error: String(e.message ?? e) };
    }
  });
}

/**
 * Fixes the expectations that were left to native qlabel (status null) from its verdicts,
 * and returns the mismatches `[{badge, status, got}]` of those that were fixed.
 */
export function applyNative(world, verdicts) {
  const byBadge = new Map(verdicts.map((v) => [v.badge, v]));
  for (const list of Object.values(world.expect)) {
    for (const e of list) {
      if (e.status === null || e.status === undefined) e.status = byBadge.get(e.badge)?.got ?? null;
    }
  }
  return verdicts.filter((v) => v.status !== null && v.status !== v.got);
}

/** Builds the extension with the world's presets into `outDir` (cargo xtask extension). */
export function buildExtension(world, outDir) {
  return new Promise((resolve, reject) => {
    const child = spawn('cargo', ['xtask', 'extension', '--out', outDir], {
      cwd: root,
      env: { ...process.env, QLABEL_TRUST: world.trustFile, QLABEL_REGISTRY: world.registryUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const err = [];
    child.stdout.on('data', (d) => err.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      const dir = path.join(outDir, 'chromium');
      if (code === 0 && fs.existsSync(path.join(dir, 'manifest.json'))) resolve(dir);
      else reject(new Error(`cargo xtask extension --out ${outDir} exited with ${code}:\n${Buffer.concat(err).toString('utf8').slice(-4000)}`));
    });
  });
}

/**
 * Builds the extension for `world` into `tmpDir/ext` and launches Chromium with it (one
 * persistent profile in `tmpDir/profile`), the world's hosts mapped to its server, the
 * sites scanned automatically = the defaults + `sites`. Resolves to `{ctx, extId, sw,
 * tabIdOf}`: `sw()` the extension's current service worker (it may restart), `tabIdOf(page)`
 * the extension's id of a page's tab.
 */
export async function launchWithExtension(world, tmpDir, { sites = EXTRA_SITES, viewport = { width: 1100, height: 800 } } = {}) {
  const { chromium } = await import('playwright-core');
  const extDir = await buildExtension(world, path.join(tmpDir, 'ext'));
  const ctx = await chromium.launchPersistentContext(path.join(tmpDir, 'profile'), {
    executablePath: chromiumPath,
    headless: true,
    ignoreHTTPSErrors: true,
    viewport,
    args: [
      ...chromiumArgs,
      '--ignore-certificate-errors',
      '--no-proxy-server',
      `--host-resolver-rules=${resolverRules(world)}`,
      `--disable-extensions-except=${extDir}`,
      `--load-extension=${extDir}`,
    ],
  });
  try {
    const sw0 = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent('serviceworker', { timeout: 20000 }));
    const extId = new URL(sw0.url()).host;
    const prefix = `chrome-extension://${extId}/`;
    const sw = async () =>
      ctx.serviceWorkers().find((w) => w.url().startsWith(prefix)) ??
      (await ctx.waitForEvent('serviceworker', { predicate: (w) => w.url().startsWith(prefix), timeout: 20000 }));
    await sw0.evaluate((s) => chrome.storage.sync.set({ settings: s }), {
      version: 1,
      anchors: [],
      registries: [],
      removed: [],
      lang: 'en',
      sites: [...DEFAULT_SITES, ...sites],
    });
    const tabIdOf = async (page) => {
      const url = page.url();
      let id = await (await sw()).evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id ?? null, url);
      if (id === null) {
        // Without permission to read the tab's URL: the active tab, with the page in front.
        await page.bringToFront();
        id = await (await sw()).evaluate(async () => (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id ?? null);
      }
      if (id === null) throw new Error(`no tab found for ${url}`);
      return id;
    };
    return { ctx, extId, sw, tabIdOf };
  } catch (e) {
    await ctx.close().catch(() => {});
    throw e;
  }
}

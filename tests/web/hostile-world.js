// The hostile-input world of hostile.test.js (issue 9, the browser half): validly signed
// badges whose every field a badge author (or a label authority) controls carries an XSS
// payload, served over https on their own host names from one Node server on 127.0.0.1
// (self-signed; Chromium maps the names to it with --host-resolver-rules):
//
//   hostile.example  the badges (/badges/<id>.json), a page of <qlabel-badge> and
//                    <qlabel-seal> elements (/pages/widget.html), a page linking every
//                    badge for the extension (/pages/ext.html), the widget (/widget/)
//   label.example    a label authority whose NAME is markup, its published site (registry,
//                    shards, label credentials, status lists, trust.json); every holder's
//                    name is markup and every registry entry's certificate URL is a
//                    javascript: or data:text/html URL (see below)
//   verify.example   the website (dist/www) with a config.json naming that authority
//
// Everything is made at start-up with the qlabel CLI, at the REAL current time (the
// extension's service worker runs on the real clock).
//
// The certificate URL: `qlabel registry publish` makes it `<base-url>/labels/<uuid>.html`
// and refuses a base URL that is not http(s) (`world.refusals` records the refusals).
// So the hostile certificate URLs are put in afterwards: the published registry.json and
// shards are edited and signed again with the authority's own key (`qlabel sign --suite
// jcs` with a copy of its key file naming the authority's verification method) — what an
// authority, or anyone holding its key, could publish.

import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { root, qlabel, widgetDir, widgetStatus, TYPES } from './widget-world.js';
import { pool } from './support.js';

export const HOSTS = ['hostile.example', 'label.example', 'verify.example'];
export const wwwDir = path.join(root, 'dist/www');
const DAY = 86400e3;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const esc = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** What an executed payload runs: the CDP binding `__pwned` when there is one, else an alert. */
const call = (tag) => `(self.__pwned??alert)('${tag}')`;
/** Every marker a payload may report with starts with this. */
export const MARK = 'QLX';

/**
 * The payloads: each a function of a field tag giving the hostile text. Every executed
 * payload calls `__pwned('QLX:<payload>:<field>')` (or alerts it).
 */
export const PAYLOADS = [
  { id: 'img', text: (f) => `<img src=x onerror="${call(`${MARK}:img:${f}`)}">` },
  { id: 'script', text: (f) => `<script>${call(`${MARK}:script:${f}`)}</script>` },
  { id: 'svg', text: (f) => `"><svg onload="${call(`${MARK}:svg:${f}`)}"><x y="` },
  { id: 'style', text: (f) => `</style><img src=x onerror="${call(`${MARK}:style:${f}`)}"><style>` },
  { id: 'jsurl', text: (f) => `javascript:${call(`${MARK}:jsurl:${f}`)}//` },
  { id: 'dataurl', text: (f) => `data:text/html,<script>${call(`${MARK}:dataurl:${f}`)}</script>` },
  // Very long: 12 000 characters before the markup.
  { id: 'long', text: (f) => `${'W'.repeat(12000)}<iframe srcdoc="<script>${call(`${MARK}:long:${f}`)}</script>"></iframe>` },
  // Right-to-left override, zero-width characters, an isolate, and the widget's own
  // sentence placeholders.
  { id: 'bidi', text: (f) => `\u202Egnp.\u200Bexe\u200D\uFEFF<a href="javascript:${call(`${MARK}:bidi:${f}`)}">x</a>\u2067{issuer} {authority} {name} {host}\u2069` },
];

/** Hostile URLs (the fields that are URLs), each reporting as a payload does. */
export const URLS = {
  js: (f) => `javascript:${call(`${MARK}:url:${f}`)}`,
  html: (f) => `data:text/html;base64,${Buffer.from(`<script>${call(`${MARK}:url:${f}`)}</script>`).toString('base64')}`,
  // An SVG with a script: an image only (an <img> runs no script), never a link or a frame.
  svg: (f) =>
    `data:image/svg+xml;base64,${Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" onload="${call(`${MARK}:url:${f}`)}"><script>${call(`${MARK}:url:${f}`)}</script><rect width="10" height="10"/></svg>`).toString('base64')}`,
};

/** The authority's name (shown by every label): markup of several kinds at once. */
export const AUTHORITY_NAME = `<img src=x onerror="${call(`${MARK}:img:auth`)}"></style>"><svg onload="${call(`${MARK}:svg:auth`)}"><script>${call(`${MARK}:script:auth`)}</script>Authority\u2069\u202Er\u200B`;

/**
 * The cases: one badge per payload, issued by an issuer of its own that holds an active
 * label (its holder name the payload too), plus one whose issuer holds none
 * (`not-labelled`). URL fields take the hostile URLs in turn. `nameOn`: which name the
 * report shows as the badge's — the credential's own `name`, or (when the credential has
 * none) the achievement's.
 */
export function cases() {
  const urlKinds = ['js', 'html', 'svg'];
  const list = PAYLOADS.map((p, i) => ({
    id: p.id,
    payload: p,
    labelled: true,
    nameOn: i % 2 === 0 ? 'credential' : 'achievement',
    image: urlKinds[i % 3],
    issuerUrl: i % 2 === 0 ? 'js' : 'html',
    certificate: i % 2 === 0 ? 'js' : 'html',
  }));
  list.push({ id: 'unlabelled', payload: PAYLOADS[PAYLOADS.length - 1], labelled: false, nameOn: 'credential', image: 'html', issuerUrl: 'js', certificate: null });
  for (const c of list) {
    const t = (field) => c.payload.text(`${c.id}.${field}`);
    c.text = {
      name: t('name'),
      achievementName: t('achievement-name'),
      description: t('description'),
      criteria: t('criteria'),
      issuerName: t('issuer-name'),
      issuerEmail: t('issuer-email'),
      holderName: c.labelled ? t('holder-name') : null,
      subjectName: t('subject-name'),
    };
    c.url = {
      image: URLS[c.image](`${c.id}.image`),
      issuerUrl: URLS[c.issuerUrl](`${c.id}.issuer-url`),
      issuerImage: URLS.js(`${c.id}.issuer-image`),
      criteriaId: URLS.js(`${c.id}.criteria-id`),
      certificate: c.certificate ? URLS[c.certificate](`${c.id}.certificate`) : null,
    };
    /** The name the report gives the badge. */
    c.badgeName = c.nameOn === 'credential' ? c.text.name : c.text.achievementName;
    c.expect = c.labelled ? 'labelled' : 'not-labelled';
  }
  return list;
}

function makeCert(dir) {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2',
    '-subj', '/CN=qlabel-hostile', '-addext', `subjectAltName=${HOSTS.map((h) => `DNS:${h}`).join(',')}`,
  ], { stdio: 'ignore' });
  return { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
}


function widgetPage(world) {
  const common = `trust="${esc(world.trustUrl)}" registry="${esc(world.registryUrl)}" lang="en"`;
  const badges = world.cases.map((c) => `<li><qlabel-badge id="b-${c.id}" src="${esc(world.badgeUrl(c))}" ${common}></qlabel-badge></li>`);
  const seals = world.cases.filter((c) => c.labelled).map((c) => `<li><qlabel-seal id="s-${c.id}" holder="${esc(c.issuer)}" ${common}></qlabel-seal></li>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hostile badges: the widget</title>
<style>body{font:15px/1.4 system-ui,sans-serif;margin:16px} ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:8px}</style>
<script type="module" src="/widget/qlabel-widget.js"></script></head>
<body><main><h1>Hostile badges</h1><ul id="badges">${badges.join('\n')}</ul><h2>Seals</h2><ul id="seals">${seals.join('\n')}</ul></main></body></html>
`;
}

function extPage(world) {
  const links = world.cases.map((c) => `<li><a id="l-${c.id}" href="/badges/${c.id}.json">Badge ${esc(c.id)}</a></li>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hostile badges: a profile</title>
<style>body{font:15px/1.4 system-ui,sans-serif;margin:16px} li{padding:6px 0}</style></head>
<body><main><h1>Badges of a hostile issuer</h1><ul>${links.join('\n')}</ul></main></body></html>
`;
}

/**
 * Builds the world and starts its server. Returns `{hosts, port, now, nowIso, dir, cases,
 * badgeUrl(c), pages: {widget, ext, verify}, trustUrl, registryUrl, trustFile,
 * registryFolder, refusals, native, requests, close()}`; each case gets `issuer` (its
 * id) and `doc` (the signed badge).
 */
export async function startHostileWorld({ now = Math.floor(Date.now() / 1000) * 1000 } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qlabel-hostile-world-'));
  const f = (...p) => path.join(dir, ...p);
  for (const d of ['keys', 'badges', 'work']) fs.mkdirSync(f(d), { recursive: true });
  const nowIso = iso(now);
  const q = (args, o = {}) => qlabel(args, { ...o, env: { QLABEL_NOW: nowIso, ...(o.env ?? {}) } });
  const world = { hosts: HOSTS, now, nowIso, dir, cases: cases(), requests: [], refusals: [] };
  world.badgeUrl = (c) => `https://hostile.example/badges/${c.id}.json`;
  world.trustUrl = 'https://label.example/trust.json';
  world.registryUrl = 'https://label.example/registry.json';
  world.pages = {
    widget: 'https://hostile.example/pages/widget.html',
    ext: 'https://hostile.example/pages/ext.html',
    verify: 'https://verify.example/verify.html',
  };
  const site = f('label-site');
  const texts = new Map(); // host + path → [type, body]

  const sockets = new Set();
  const server = https.createServer(makeCert(dir), (req, res) => {
    const host = String(req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const url = new URL(req.url, 'https://x');
    const p = decodeURIComponent(url.pathname);
    world.requests.push({ host, path: p });
    const cors = { 'access-control-allow-origin': '*', 'cache-control': 'no-store' };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'access-control-allow-headers': '*', 'access-control-allow-methods': 'GET' }).end();
      return;
    }
    const hit = texts.get(`${host}${p}`);
    if (hit) {
      res.writeHead(200, { ...cors, 'content-type': hit[0] }).end(req.method === 'HEAD' ? undefined : hit[1]);
      return;
    }
    let base = null;
    let rel = null;
    if (host === 'hostile.example' && p.startsWith('/widget/')) [base, rel] = [widgetDir, p.slice('/widget/'.length)];
    else if (host === 'label.example') [base, rel] = [site, p.slice(1)];
    else if (host === 'verify.example') [base, rel] = [wwwDir, p === '/' ? 'index.html' : p.slice(1)];
    const file = base && path.resolve(base, rel);
    if (!file || !file.startsWith(base + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { ...cors, 'content-type': 'text/plain' }).end('not found');
      return;
    }
    // The authority's status lists have no extension: JSON, as its _headers say.
    res.writeHead(200, { ...cors, 'content-type': TYPES[path.extname(file)] ?? 'application/json' });
    fs.createReadStream(file).pipe(res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  world.port = await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
  world.close = () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => {
        fs.rmSync(dir, { recursive: true, force: true });
        resolve();
      });
    });

  try {
    // Issuers: a did:key each.
    await pool(world.cases, 4, async (c) => {
      const file = f('keys', `${c.id}.json`);
      await q(['key', 'generate', '-o', file]);
      c.key = file;
      c.issuer = JSON.parse(fs.readFileSync(file, 'utf8')).controller;
    });

    // The authority, named with markup; a label for every labelled issuer, its holder
    // name the case's payload.
    const adir = f('work', 'authority');
    await q(['authority', 'init', '--name', AUTHORITY_NAME, '--id', 'https://label.example/authority.json', '--base-url', 'https://label.example', '--out', adir]);
    // A name longer than the CLI takes (200 characters) is refused: that holder is
    // awarded under a short name, and the long one put in the registry below.
    const award = (c, name) =>
      q(['label', 'award', '--authority', adir, '--holder', c.issuer, '--name', name, '--domain', 'hostile.example', '--valid-from', iso(now - 365 * DAY)]);
    const longNames = new Map();
    for (const c of world.cases.filter((x) => x.labelled)) {
      try {
        await award(c, c.text.holderName);
      } catch (e) {
        if (c.text.holderName.length <= 200) throw e;
        world.refusals.push({ what: `label award --name (${c.text.holderName.length} characters)`, refused: true, message: String(e.message).split('\n').slice(1).join(' ').trim() });
        longNames.set(c.issuer, c.text.holderName);
        await award(c, `long holder ${c.id}`);
      }
    }
    // The CLI refuses a certificate base URL that is not http(s).
    for (const bad of [URLS.js('base-url'), 'data:text/html,<script>alert(1)</script>']) {
      try {
        await q(['registry', 'publish', '--authority', adir, '--out', f('work', 'refused-site'), '--base-url', bad]);
        world.refusals.push({ what: `registry publish --base-url ${bad}`, refused: false });
      } catch (e) {
        world.refusals.push({ what: `registry publish --base-url ${bad}`, refused: true, message: String(e.message).split('\n').slice(1).join(' ').trim() });
      }
    }
    await q(['registry', 'publish', '--authority', adir, '--out', site, '--base-url', 'https://label.example']);
    world.trustFile = f('label-site', 'trust.json');
    world.registryFolder = f('label-site', 'registry.json');

    // The hostile certificate URLs (and the long holder name), signed again with the
    // authority's key.
    const key = JSON.parse(fs.readFileSync(path.join(adir, 'key.json'), 'utf8'));
    const registry0 = JSON.parse(fs.readFileSync(world.registryFolder, 'utf8'));
    const vm = registry0.proof.verificationMethod;
    const signingKey = f('work', 'authority-key.json');
    fs.writeFileSync(signingKey, JSON.stringify({ ...key, id: vm, controller: vm.replace(/#.*$/, '') }), { mode: 0o600 });
    const certOf = new Map(world.cases.filter((c) => c.labelled).map((c) => [c.issuer, c.url.certificate]));
    const resign = async (file) => {
      const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
      const { proof, ...rest } = doc;
      let changed = false;
      for (const e of rest.credentialSubject?.labels ?? []) {
        const cert = e.holder.ids.map((id) => certOf.get(id)).find(Boolean);
        if (cert) {
          e.certificate = cert;
          changed = true;
        }
        const long = e.holder.ids.map((id) => longNames.get(id)).find(Boolean);
        if (long) e.holder.name = long;
      }
      if (!changed) return;
      const signed = await q(['sign', '--key', signingKey, '--suite', 'jcs', '--created', proof.created, '-'], { input: JSON.stringify(rest) });
      if (JSON.parse(signed).proof.verificationMethod !== vm) throw new Error(`the registry was signed again as ${JSON.parse(signed).proof.verificationMethod}, not ${vm}`);
      fs.writeFileSync(file, signed);
    };
    const shards = fs.readdirSync(f('label-site', 'shards')).map((n) => f('label-site', 'shards', n));
    await pool([world.registryFolder, ...shards], 4, resign);

    // The badges: OB 3.0, eddsa-jcs-2022, signed by their issuers with the CLI.
    const unsigned = JSON.parse(fs.readFileSync(path.join(root, 'samples/ob3-unsigned.json'), 'utf8'));
    await pool(world.cases, 4, async (c) => {
      const doc = structuredClone(unsigned);
      doc.id = world.badgeUrl(c);
      doc.issuer = {
        id: c.issuer,
        type: ['Profile'],
        name: c.text.issuerName,
        url: c.url.issuerUrl,
        email: c.text.issuerEmail,
        image: { id: c.url.issuerImage, type: 'Image' },
      };
      doc.validFrom = iso(now - 30 * DAY);
      doc.validUntil = iso(now + 3 * 365 * DAY);
      if (c.nameOn === 'credential') doc.name = c.text.name;
      else delete doc.name;
      doc.description = c.text.description;
      doc.credentialSubject.id = `did:example:learner-${crypto.randomUUID()}`;
      doc.credentialSubject.name = c.text.subjectName;
      const a = doc.credentialSubject.achievement;
      a.id = `https://hostile.example/achievements/${c.id}`;
      a.name = c.text.achievementName;
      a.description = c.text.description;
      a.criteria = { id: c.url.criteriaId, narrative: c.text.criteria };
      a.image = { id: c.url.image, type: 'Image', caption: c.text.name };
      c.doc = JSON.parse(await q(['sign', '--key', c.key, '--suite', 'jcs', '--created', iso(now - 30 * DAY), '-'], { input: JSON.stringify(doc) }));
      const text = JSON.stringify(c.doc, null, 2);
      c.file = f('badges', `${c.id}.json`);
      fs.writeFileSync(c.file, text);
      texts.set(`hostile.example/badges/${c.id}.json`, ['application/ld+json', text]);
    });

    texts.set('hostile.example/pages/widget.html', [TYPES['.html'], widgetPage(world)]);
    texts.set('hostile.example/pages/ext.html', [TYPES['.html'], extPage(world)]);
    texts.set('verify.example/config.json', ['application/json', JSON.stringify({ registry: world.registryUrl, trust: world.trustUrl })]);

    // What native qlabel says of each badge (the label looked up in the site's folder).
    world.native = await pool(world.cases, 4, async (c) => {
      const report = JSON.parse(
        await q(['verify', c.file, '--json', '--at', nowIso, '--trust', world.trustFile, '--registry', world.registryFolder], { okCodes: [0, 1, 3, 4] }),
      );
      return { id: c.id, expect: c.expect, got: widgetStatus(report), report };
    });
    return world;
  } catch (e) {
    await world.close();
    throw e;
  }
}

/** `--host-resolver-rules` mapping the world's hosts to its server. */
export const resolverRules = (world) => world.hosts.map((h) => `MAP ${h} 127.0.0.1:${world.port}`).join(', ');

// The widget's test world (issue #6, item 8): one Node http server on 127.0.0.1 serving a
// label authority, a second (untrusted) one, badges in every state signed with the qlabel
// CLI, the trust files, the built widget (dist/widget/) and one page per state. Everything
// is made at start-up, with the CLI, into a temporary folder, with URLs on the server's
// own port. Used by widget.test.js and bench-widget.mjs.
//
// Time: the CLI's authority commands run at QLABEL_NOW = NOW, badges carry fixed dates
// around it, and the browsers are given BROWSER_NOW (Playwright's clock), so that every
// state is the same whatever day the tests run.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { pool } from './support.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const qlabelBin = process.env.QLABEL_BIN ?? path.join(root, 'target/release/qlabel');
/** The built widget: `qlabel-widget.js`, its wasm, and `pkg/` (`cargo xtask dist`). */
export const widgetDir = path.resolve(process.env.QLABEL_WIDGET ?? path.join(root, 'dist/widget'));
export const widgetScript = path.join(widgetDir, 'qlabel-widget.js');
export const chromiumPath = process.env.QLABEL_CHROMIUM ?? '/usr/bin/chromium';
/** Launch flags known to work here (DESIGN.md, Tests; as chromium.test.js). */
export const chromiumArgs = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The world's clock (QLABEL_NOW for the authority commands, `--at` for the CLI). */
export const NOW = '2026-06-01T00:00:00Z';
/** The browsers' clock: half a day later, well inside the registry's freshness. */
export const BROWSER_NOW = '2026-06-01T12:00:00Z';
/** `proof.created` of every signature. */
const CREATED = '2025-01-01T00:00:00Z';

/** Content types by file extension, for the test servers. */
export const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.ts': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Runs the qlabel CLI; resolves to its standard output, rejects with its standard error. */
export function qlabel(args, { input, env, okCodes = [0] } = {}) {
  if (!fs.existsSync(qlabelBin)) {
    return Promise.reject(new Error(`the qlabel CLI is not built at ${qlabelBin}: run \`cargo build --release -p qlabel-cli\``));
  }
  return new Promise((resolve, reject) => {
    const child = spawn(qlabelBin, args, {
      env: { ...process.env, QLABEL_NOW: NOW, ...env },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (okCodes.includes(code)) resolve(stdout);
      else reject(new Error(`qlabel ${args.join(' ')} exited with ${code}:\n${stderr}${stdout}`));
    });
    if (input !== undefined) {
      child.stdin.on('error', () => {}); // an early exit is reported by its status
      child.stdin.end(input);
    }
  });
}

const escapeHtml = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** The widget status a report stands for: the label's when the badge is valid, else the badge's. */
export const widgetStatus = (report) => (report.badge.status === 'valid' ? report.label.status : report.badge.status);

/** The text of the XSS badge's name (and achievement name). */
export const XSS_NAME = '<img src=x onerror=alert(1)>';
export const XSS_ISSUER = '<b onmouseover=alert(2)>Hostile Issuer</b>';

/**
 * Builds the world in `dir` for a server at `origin` (http://127.0.0.1:PORT): returns
 * `{states, fifty, files}` — `states` the pages to test, each `{name, kind, expect, tag,
 * attrs, inline?, alt?, badge?}`, `fifty` the 50 badges of the crowd page with their
 * expected statuses.
 */
export async function buildWorld(dir, origin) {
  const f = (...p) => path.join(dir, ...p);
  for (const d of ['keys', 'badges', 'status', 'trust', 'img', 'work']) fs.mkdirSync(f(d), { recursive: true });
  fs.copyFileSync(path.join(root, 'samples/blank-badge.png'), f('img/badge.png'));

  // Issuers: a did:key each, from `qlabel key generate`.
  const issuerNames = {
    active: 'Active Youth Centre',
    expired: 'Lapsed Learning Lab',
    suspended: 'Suspended Skills School',
    withdrawn: 'Withdrawn Workshop',
    none: 'Unlabelled Union',
    foreign: 'Foreign-labelled Foundation',
  };
  const issuers = {};
  await Promise.all(
    Object.entries(issuerNames).map(async ([k, name]) => {
      const file = f('keys', `${k}.json`);
      await qlabel(['key', 'generate', '-o', file]);
      issuers[k] = { key: file, id: JSON.parse(fs.readFileSync(file, 'utf8')).controller, name };
    }),
  );

  // Authority A (trusted) and B (not trusted by the pages).
  const authority = async (letter, name) => {
    const base = `${origin}/authority-${letter}`;
    const adir = f('work', `authority-${letter}`);
    await qlabel(['authority', 'init', '--name', name, '--id', `${base}/authority.json`, '--base-url', base, '--out', adir]);
    return { base, dir: adir, site: f(`authority-${letter}`), trust: `${origin}/trust/${letter}.json`, registry: `${base}/registry.json` };
  };
  const A = await authority('a', 'Test Label Authority');
  const B = await authority('b', 'Unknown Label Authority');
  const award = async (a, issuer, extra = [], env = {}) =>
    (await qlabel(['label', 'award', '--authority', a.dir, '--holder', issuer.id, '--name', issuer.name, '--domain', '127.0.0.1', ...extra], { env })).trim();
  await award(A, issuers.active, ['--valid-from', '2025-01-01T00:00:00Z']);
  // Awarded in 2022 for the default three years: expired since 2025-01-01.
  await award(A, issuers.expired, [], { QLABEL_NOW: '2022-01-01T00:00:00Z' });
  const suspended = await award(A, issuers.suspended, ['--valid-from', '2025-01-01T00:00:00Z']);
  await qlabel(['label', 'suspend', '--authority', A.dir, suspended, '--reason', 'complaint under review']);
  const withdrawn = await award(A, issuers.withdrawn, ['--valid-from', '2025-01-01T00:00:00Z']);
  await qlabel(['label', 'withdraw', '--authority', A.dir, withdrawn, '--reason', 'standard no longer met']);
  await award(B, issuers.foreign, ['--valid-from', '2025-01-01T00:00:00Z']);
  for (const [a, letter] of [[A, 'a'], [B, 'b']]) {
    await qlabel(['registry', 'publish', '--authority', a.dir, '--out', a.site, '--base-url', a.base]);
    fs.writeFileSync(f('trust', `${letter}.json`), await qlabel(['authority', 'trust', '--authority', a.dir]));
  }

  // Badges: OB 3.0 credentials, signed by their issuer with the CLI.
  const unsigned = JSON.parse(fs.readFileSync(path.join(root, 'samples/ob3-unsigned.json'), 'utf8'));
  const credential = (issuer, slug, o = {}) => {
    const doc = structuredClone(unsigned);
    doc.id = `${origin}/badges/${slug}.json`;
    doc.issuer = { id: issuer.id, type: ['Profile'], name: o.issuerName ?? issuer.name, url: o.issuerUrl ?? `${origin}/issuers/${slug}` };
    doc.name = o.name ?? 'Teamwork';
    doc.validFrom = o.validFrom ?? '2025-06-01T00:00:00Z';
    if (o.validUntil === null) delete doc.validUntil;
    else doc.validUntil = o.validUntil ?? '2030-01-01T00:00:00Z';
    doc.credentialSubject.id = `did:example:learner-${slug}`;
    doc.credentialSubject.achievement.id = `${origin}/achievements/${o.achievement ?? 'teamwork'}`;
    doc.credentialSubject.achievement.name = o.name ?? 'Teamwork';
    doc.credentialSubject.achievement.image = { id: o.image ?? `${origin}/img/badge.png`, type: 'Image' };
    if (o.status) doc.credentialStatus = o.status;
    return doc;
  };
  const sign = async (issuer, doc, suite = 'jcs') =>
    JSON.parse(await qlabel(['sign', '--key', issuer.key, '--suite', suite, '--created', CREATED, '-'], { input: JSON.stringify(doc) }));
  const write = (slug, doc) => fs.writeFileSync(f('badges', `${slug}.json`), JSON.stringify(doc, null, 2));
  const badgeUrl = (slug) => `${origin}/badges/${slug}.json`;

  // A revocation list of the active issuer, entry 7 set (entry 3 not).
  const listUrl = `${origin}/status/active-revocation.json`;
  const bits = new Uint8Array(16 * 1024);
  bits[7 >> 3] |= 0x80 >> (7 & 7);
  const list = await sign(issuers.active, {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: listUrl,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: issuers.active.id,
    validFrom: '2025-01-01T00:00:00Z',
    credentialSubject: { id: `${listUrl}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: 'u' + zlib.gzipSync(bits).toString('base64url') },
  });
  fs.writeFileSync(f('status', 'active-revocation.json'), JSON.stringify(list));
  const entry = (url, index) => ({
    id: `${url}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: String(index),
    statusListCredential: url,
  });

  const badges = [
    // [slug, issuer, options, suite]
    ['labelled', 'active', { status: entry(listUrl, 3) }],
    ['labelled-rdfc', 'active', {}, 'rdfc'],
    ['not-labelled', 'none', {}],
    ['label-expired', 'expired', {}],
    ['label-suspended', 'suspended', {}],
    ['label-withdrawn', 'withdrawn', {}],
    ['untrusted', 'foreign', {}],
    ['invalid', 'active', {}],
    ['badge-expired', 'active', { validFrom: '2024-01-01T00:00:00Z', validUntil: '2026-01-01T00:00:00Z' }],
    ['not-yet-valid', 'active', { validFrom: '2027-01-01T00:00:00Z', validUntil: '2031-01-01T00:00:00Z' }],
    ['revoked', 'active', { status: entry(listUrl, 7) }],
    ['unverifiable', 'active', { status: entry(`${origin}/status/missing.json`, 3) }],
    ['xss', 'active', { name: XSS_NAME, image: 'javascript:alert(1)', issuerName: XSS_ISSUER, issuerUrl: 'javascript:alert(3)' }],
    ['xss-data', 'none', { name: XSS_NAME, image: 'data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==', issuerUrl: 'data:text/html,<script>alert(5)</script>' }],
  ];
  const signed = {};
  await pool(badges, 4, async ([slug, who, o, suite]) => {
    signed[slug] = await sign(issuers[who], credential(issuers[who], slug, o), suite);
  });
  // Tampered: the name changed after signing.
  signed.invalid.name = 'Leadership';
  signed.invalid.credentialSubject.achievement.name = 'Leadership';
  for (const [slug] of badges) write(slug, signed[slug]);
  // Baked: the labelled badge in a PNG.
  await qlabel(['bake', f('badges', 'labelled-rdfc.json'), path.join(root, 'samples/blank-badge.png'), '-o', f('badges', 'baked.png')]);

  const trustA = A.trust;
  const states = [
    // Badges, by URL unless inline; expect = the `status` attribute.
    { name: 'badge-labelled', tag: 'qlabel-badge', expect: 'labelled', src: 'labelled' },
    { name: 'badge-labelled-rdfc', tag: 'qlabel-badge', expect: 'labelled', src: 'labelled-rdfc' },
    { name: 'badge-labelled-baked-png', tag: 'qlabel-badge', expect: 'labelled', srcUrl: `${origin}/badges/baked.png` },
    { name: 'badge-labelled-inline', tag: 'qlabel-badge', expect: 'labelled', inline: signed['labelled-rdfc'] },
    // An issuer without a label has no shard (404): qlabel then says `unknown`, so the
    // not-labelled pages name the whole registry.
    { name: 'badge-not-labelled', tag: 'qlabel-badge', expect: 'not-labelled', src: 'not-labelled', registry: A.registry },
    { name: 'badge-label-expired', tag: 'qlabel-badge', expect: 'expired', src: 'label-expired' },
    { name: 'badge-label-suspended', tag: 'qlabel-badge', expect: 'suspended', src: 'label-suspended' },
    { name: 'badge-label-withdrawn', tag: 'qlabel-badge', expect: 'withdrawn', src: 'label-withdrawn' },
    { name: 'badge-label-untrusted', tag: 'qlabel-badge', expect: 'untrusted', src: 'untrusted', registry: B.registry },
    { name: 'badge-label-unknown', tag: 'qlabel-badge', expect: 'unknown', src: 'labelled-rdfc', registry: `${origin}/authority-missing/registry.json` },
    { name: 'badge-invalid', tag: 'qlabel-badge', expect: 'invalid', src: 'invalid' },
    { name: 'badge-expired', tag: 'qlabel-badge', expect: 'expired', src: 'badge-expired' },
    { name: 'badge-not-yet-valid', tag: 'qlabel-badge', expect: 'not-yet-valid', src: 'not-yet-valid' },
    { name: 'badge-revoked', tag: 'qlabel-badge', expect: 'revoked', src: 'revoked' },
    { name: 'badge-unverifiable', tag: 'qlabel-badge', expect: 'unverifiable', src: 'unverifiable' },
    // Seals of an organisation.
    { name: 'seal-labelled', tag: 'qlabel-seal', expect: 'labelled', holder: issuers.active.id },
    { name: 'seal-copied', tag: 'qlabel-seal', expect: 'copied', holder: issuers.active.id, alt: true },
    { name: 'seal-not-labelled', tag: 'qlabel-seal', expect: 'not-labelled', holder: issuers.none.id, registry: A.registry },
    { name: 'seal-expired', tag: 'qlabel-seal', expect: 'expired', holder: issuers.expired.id },
    { name: 'seal-suspended', tag: 'qlabel-seal', expect: 'suspended', holder: issuers.suspended.id },
    { name: 'seal-withdrawn', tag: 'qlabel-seal', expect: 'withdrawn', holder: issuers.withdrawn.id },
    { name: 'seal-untrusted', tag: 'qlabel-seal', expect: 'untrusted', holder: issuers.foreign.id, registry: B.registry },
  ];
  for (const s of states) {
    s.attrs = { trust: trustA };
    if (s.src) s.attrs.src = badgeUrl(s.src);
    if (s.srcUrl) s.attrs.src = s.srcUrl;
    if (s.holder) s.attrs.holder = s.holder;
    if (s.registry) s.attrs.registry = s.registry;
    s.kind = s.tag === 'qlabel-badge' ? 'badge' : 'seal';
  }

  // The crowd: 50 badges, ten of each issuer with a label state (and none), jcs.
  const cycle = [
    ['active', 'labelled'],
    ['none', 'not-labelled'],
    ['expired', 'expired'],
    ['suspended', 'suspended'],
    ['withdrawn', 'withdrawn'],
  ];
  const fifty = await pool(Array.from({ length: 50 }, (_, i) => i), 4, async (i) => {
    const [who, expect] = cycle[i % cycle.length];
    const slug = `many-${String(i + 1).padStart(2, '0')}`;
    write(slug, await sign(issuers[who], credential(issuers[who], slug, { name: `Skill ${i + 1}`, achievement: `skill-${i + 1}` })));
    // The unlabelled issuer's badges name the whole registry (no shard: see above).
    return { src: badgeUrl(slug), expect, registry: who === 'none' ? A.registry : undefined };
  });

  return { dir, origin, issuers, authorities: { A, B }, states, fifty, signed };
}

/**
 * What native qlabel says of each badge state, verified from the running server with
 * `qlabel verify URL --json --at NOW --trust A [--registry R]`: `{name: widget status}`.
 * The world is only right when these are the states' `expect`.
 */
export async function nativeVerdicts(world) {
  const trustFile = path.join(world.dir, 'trust/a.json');
  const badgeStates = world.states.filter((s) => s.kind === 'badge');
  const verdicts = await pool(badgeStates, 4, async (s) => {
    let input = s.attrs.src;
    if (s.inline) {
      input = path.join(world.dir, 'work', `${s.name}.json`);
      fs.writeFileSync(input, JSON.stringify(s.inline));
    }
    const args = ['verify', input, '--json', '--at', NOW, '--trust', trustFile];
    if (s.attrs.registry) args.push('--registry', s.attrs.registry);
    const report = JSON.parse(await qlabel(args, { okCodes: [0, 1, 3] }));
    return [s.name, widgetStatus(report), report];
  });
  return Object.fromEntries(verdicts.map(([n, w, r]) => [n, { status: w, report: r }]));
}

/** A page holding one element of a state; `theme`: light | dark | auto | '' (none). */
export function statePage(s, theme = '') {
  const attrs = { ...s.attrs, lang: 'en' };
  if (theme) attrs.theme = theme;
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escapeHtml(v)}"`)
    .join('');
  const inner = s.inline
    ? `<script type="application/ld+json">${JSON.stringify(s.inline).replace(/</g, '\\u003c')}</script>`
    : '';
  return page(`${s.name}`, theme, `<p>State: <code>${escapeHtml(s.name)}</code></p>\n<${s.tag}${a}>${inner}</${s.tag}>`);
}

/** The page of 50 badges; `badgeOnly`: without trust or registry (no label is looked up). */
export function fiftyPage(world, theme = '', badgeOnly = false) {
  const t = theme ? ` theme="${theme}"` : '';
  const items = world.fifty
    .map((b) => {
      const r = b.registry ? ` registry="${escapeHtml(b.registry)}"` : '';
      const label = badgeOnly ? '' : ` trust="${escapeHtml(world.authorities.A.trust)}"${r}`;
      return `<li><qlabel-badge src="${escapeHtml(b.src)}"${label} lang="en"${t}></qlabel-badge></li>`;
    })
    .join('\n');
  return page('fifty badges', theme, `<ul class="grid">\n${items}\n</ul>`);
}

/** The hostile badges of the XSS page, by element id, and the status each must reach. */
export const XSS_BADGES = [
  { slug: 'xss', expect: 'labelled' },
  { slug: 'xss-data', expect: 'not-labelled' },
];

/** The hostile badges: `<img …>` as their name, javascript: and data: URLs. */
export function xssPage(world, theme = '') {
  const t = theme ? ` theme="${theme}"` : '';
  const trust = escapeHtml(world.authorities.A.trust);
  const registry = escapeHtml(world.authorities.A.registry);
  const body = XSS_BADGES.map(
    ({ slug }) =>
      `<qlabel-badge id="${slug}" src="${escapeHtml(`${world.origin}/badges/${slug}.json`)}" trust="${trust}" registry="${registry}" lang="en"${t}></qlabel-badge>`,
  ).join('\n');
  return page('hostile badge', theme, body);
}

function page(title, theme, body) {
  const dark = theme === 'dark';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${theme === 'auto' ? '<meta name="color-scheme" content="light dark">' : ''}
<title>qlabel widget: ${escapeHtml(title)}</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 24px; background: ${dark ? '#121212' : '#ffffff'}; color: ${dark ? '#eeeeee' : '#222222'}; }
  ${theme === 'auto' ? '@media (prefers-color-scheme: dark) { body { background: #121212; color: #eeeeee; } }' : ''}
  .grid { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 8px; }
</style>
<script type="module" src="/widget/qlabel-widget.js"></script>
</head>
<body>
<main>
<h1>qlabel widget: ${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

/**
 * Starts the server on 127.0.0.1 and builds the world for it. Returns `{origin,
 * altOrigin, world, requests, close}`; `altOrigin` is the same server as
 * http://localhost:PORT (a page there is on a host that is not the holder's domain).
 * Routes: /widget/* (dist/widget), /authority-{a,b}/* (the published sites), /trust/*,
 * /badges/*, /status/*, /img/*, and the pages /pages/<state>.html, /pages/fifty.html,
 * /pages/xss.html (?theme=light|dark|auto; /pages/fifty.html?badge-only: no label looked up). CORS `*` everywhere.
 */
export async function startWorld() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qlabel-widget-world-'));
  let world = null;
  const requests = [];
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    // As the published site's _headers: the registry, shards and status lists may be
    // cached for an hour; nothing else says anything about caching.
    const cacheable = /^\/authority-[ab]\/(registry\.json$|shards\/|status\/)/.test(url.pathname);
    const cors = { 'access-control-allow-origin': '*', ...(cacheable ? { 'cache-control': 'public, max-age=3600' } : {}) };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'access-control-allow-headers': '*', 'access-control-allow-methods': 'GET' }).end();
      return;
    }
    const send404 = () => {
      requests.push({ path: url.pathname, status: 404 });
      res.writeHead(404, { ...cors, 'content-type': 'text/plain' }).end('not found');
    };
    if (!world) return send404();
    const p = decodeURIComponent(url.pathname);
    const theme = url.searchParams.get('theme') ?? '';
    const html = (text) => {
      requests.push({ path: p, status: 200 });
      res.writeHead(200, { ...cors, 'content-type': TYPES['.html'] }).end(text);
    };
    if (p.startsWith('/pages/')) {
      const name = p.slice('/pages/'.length).replace(/\.html$/, '');
      if (name === 'fifty') return html(fiftyPage(world, theme, url.searchParams.has('badge-only')));
      if (name === 'xss') return html(xssPage(world, theme));
      const s = world.states.find((x) => x.name === name);
      return s ? html(statePage(s, theme)) : send404();
    }
    let base;
    let rel;
    if (p.startsWith('/widget/')) [base, rel] = [widgetDir, p.slice('/widget/'.length)];
    else if (p.startsWith('/authority-a/')) [base, rel] = [path.join(dir, 'authority-a'), p.slice('/authority-a/'.length)];
    else if (p.startsWith('/authority-b/')) [base, rel] = [path.join(dir, 'authority-b'), p.slice('/authority-b/'.length)];
    else if (/^\/(badges|status|trust|img)\//.test(p)) [base, rel] = [dir, p.slice(1)];
    else return send404();
    const file = path.resolve(base, rel);
    if (!file.startsWith(base + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return send404();
    // The published sites' status lists have no extension: JSON, as their _headers say.
    const type = TYPES[path.extname(file)] ?? (/\/status\//.test(p) ? 'application/json' : 'application/octet-stream');
    requests.push({ path: p, status: 200 });
    res.writeHead(200, { ...cors, 'content-type': type });
    fs.createReadStream(file).pipe(res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const port = await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
  const origin = `http://127.0.0.1:${port}`;
  try {
    world = await buildWorld(dir, origin);
  } catch (e) {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    origin,
    altOrigin: `http://localhost:${port}`,
    world,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          fs.rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}

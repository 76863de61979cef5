// The README's first command, as a new user runs it: a fresh clone of this repository,
// `cargo xtask demo --port 0`, and every URL it prints fetched while it serves.
//
// The clone is made from the committed HEAD at target/fresh-clone/repo. In CI the
// folder is new (a clean checkout), so this builds everything from nothing; on a
// developer's machine the clone's own target/ is kept between runs (only the sources are
// fresh) so that the test takes seconds the second time.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root } from './widget-world.js';

const base = path.join(root, 'target/fresh-clone');
const repo = path.join(base, 'repo');
const BUILD_MS = 25 * 60 * 1000;

function git(args, cwd) {
  return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString('utf8').trim();
}

/** A clone of the committed HEAD: new, or an old one reset and cleaned (its target/ kept). */
function freshClone() {
  const head = git(['rev-parse', 'HEAD'], root);
  if (fs.existsSync(path.join(repo, '.git'))) {
    git(['fetch', '--quiet', root, head], repo);
    git(['reset', '--quiet', '--hard', head], repo);
    git(['clean', '-fdxq', '-e', 'target/'], repo);
  } else {
    fs.rmSync(repo, { recursive: true, force: true });
    fs.mkdirSync(base, { recursive: true });
    git(['clone', '--quiet', root, repo], base);
    git(['checkout', '--quiet', head], repo);
  }
  return head;
}

test('a fresh clone: `cargo xtask demo` builds everything and serves every URL it prints', { timeout: BUILD_MS + 120000 }, async () => {
  const head = freshClone();
  assert.equal(git(['rev-parse', 'HEAD'], repo), head);
  assert.equal(git(['status', '--porcelain', '--untracked-files=no'], repo), '', 'the clone has no local changes');

  const child = spawn('cargo', ['xtask', 'demo', '--port', '0'], {
    cwd: repo,
    env: { ...process.env, CARGO_TERM_COLOR: 'never' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  try {
    // Wait for the demo's list of URLs: its last line names the extension's folder.
    // (Every timer here is cleared or unref'd: a pending one would keep this test file's
    // process alive after the test ends.)
    let ended = null;
    exited.then((e) => (ended = e));
    const deadline = Date.now() + BUILD_MS;
    while (!/^\s+extension\s/m.test(out)) {
      if (ended) throw new Error(`cargo xtask demo ended (${ended.code ?? ended.signal}) before serving:\n${err.slice(-4000)}\n${out.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`no demo within ${BUILD_MS / 60000} min:\n${err.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const printed = out;
    const urls = [...new Set(printed.match(/http:\/\/127\.0\.0\.1:\d+\/[^\s)]*/g) ?? [])];
    assert.ok(urls.length >= 5, `the demo printed its URLs:\n${printed}`);
    for (const u of urls) assert.match(u, /^http:\/\/127\.0\.0\.1:\d+\//, 'the demo serves on 127.0.0.1 only');
    for (const u of urls) {
      const res = await fetch(u);
      assert.equal(res.status, 200, `${u} answered ${res.status}`);
      const body = await res.arrayBuffer();
      assert.ok(body.byteLength > 0, `${u} is empty`);
    }
    // The extension folder it prints holds a built extension with the demo's trust anchors.
    const ext = /^\s+extension\s+(\S+)/m.exec(printed)?.[1];
    assert.ok(ext && fs.existsSync(path.join(ext, 'manifest.json')), `the extension folder it prints (${ext}) holds a manifest`);
    const preset = JSON.parse(fs.readFileSync(path.join(ext, 'preset.json'), 'utf8'));
    const trust = await (await fetch(urls.find((u) => u.endsWith('/trust.json')))).json();
    assert.deepEqual(preset.anchors.map((a) => a.id), [trust].flat().map((a) => a.id), 'the extension trusts the demo authority');
  } finally {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
    child.stdout.destroy();
    child.stderr.destroy();
  }
});

// Mozilla's add-on linter (web-ext lint, pinned in package.json) over the built Firefox
// extension (dist/extension/firefox, or QLABEL_EXTENSION_FIREFOX): any error fails and is
// listed; warnings and notices are printed. `--self-hosted` because the extension is not
// (yet) listed on addons.mozilla.org.
//
// Without a built extension the file is skipped, except under CI (CI set), where it fails.

import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const extDir = path.resolve(process.env.QLABEL_EXTENSION_FIREFOX ?? path.join(root, 'dist/extension/firefox'));
const webExt = path.join(here, 'node_modules/.bin/web-ext');
const built = fs.existsSync(path.join(extDir, 'manifest.json'));
const missing = `the Firefox extension is not built at ${extDir}: run \`cargo xtask dist\``;
if (!built && process.env.CI) throw new Error(missing);

/** Runs web-ext lint; resolves to its parsed JSON report. */
function lint() {
  if (!fs.existsSync(webExt)) throw new Error('web-ext is not installed in tests/web/node_modules: run `npm ci` in tests/web');
  return new Promise((resolve, reject) => {
    const child = spawn(webExt, ['lint', '--source-dir', extDir, '--output', 'json', '--self-hosted', '--no-config-discovery'], {
      cwd: here,
      env: { ...process.env, NO_UPDATE_NOTIFIER: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      // web-ext exits non-zero when the linter finds errors; the report says which.
      const start = stdout.indexOf('{');
      try {
        resolve(JSON.parse(stdout.slice(start)));
      } catch {
        reject(new Error(`web-ext lint exited with ${code} without a JSON report:\n${Buffer.concat(err)}${stdout}`));
      }
    });
  });
}

const line = (m) => `${m.code}${m.file ? ` (${m.file}${m.line ? `:${m.line}` : ''})` : ''}: ${m.message}`;

test('web-ext lint finds no error in the Firefox extension', { skip: built ? false : missing, timeout: 180_000 }, async (t) => {
  const report = await lint();
  for (const w of report.warnings ?? []) t.diagnostic(`warning ${line(w)}`);
  for (const n of report.notices ?? []) t.diagnostic(`notice ${line(n)}`);
  const errors = report.errors ?? [];
  assert.deepEqual(
    errors.map(line),
    [],
    `web-ext lint: ${errors.length} error(s) in ${extDir}:\n  ${errors.map(line).join('\n  ')}`,
  );
  assert.ok(report.summary, 'the report has a summary');
});

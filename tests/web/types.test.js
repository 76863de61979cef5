// The package's TypeScript types: ts/example.ts (the API as a TypeScript user writes it)
// must type-check with `tsc --noEmit --strict` against dist/pkg/index.d.ts, and must not
// against a .d.ts that is wrong.

import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pkgDir } from './support.js';

const here = path.dirname(new URL(import.meta.url).pathname);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const example = path.join(here, 'ts/example.ts');

/** Runs tsc on ts/example.ts with `qlabel-wasm` resolved to `dts`; `{ok, output}`. */
function typecheck(dts) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qlabel-tsc-'));
  try {
    const config = {
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        lib: ['ES2022', 'DOM'],
        types: [],
        skipLibCheck: false,
        noUnusedLocals: false,
        paths: { 'qlabel-wasm': [dts] },
      },
      files: [example],
    };
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(config));
    const r = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '-p', dir], { encoding: 'utf8' });
    return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('ts/example.ts type-checks against dist/pkg/index.d.ts (tsc --noEmit --strict)', () => {
  const dts = path.join(pkgDir, 'index.d.ts');
  assert.ok(fs.existsSync(dts), `${dts} is missing`);
  const { ok, output } = typecheck(dts);
  assert.ok(ok, `tsc failed:\n${output}`);
});

test('a wrong .d.ts fails the check', () => {
  // The same check in-process (the TypeScript API, lib files parsed once), for speed.
  const ts = createRequire(import.meta.url)('typescript');
  const original = fs.readFileSync(path.join(pkgDir, 'index.d.ts'), 'utf8');
  const options = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
  };
  const dtsPath = path.join(os.tmpdir(), 'qlabel-wasm-mutated', 'index.d.ts');
  options.paths = { 'qlabel-wasm': [dtsPath] };
  const cache = new Map();
  const errorsWith = (dtsText) => {
    const host = ts.createCompilerHost(options);
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (file, lang, ...rest) => {
      if (path.resolve(file) === dtsPath) return ts.createSourceFile(file, dtsText, lang);
      if (!cache.has(file)) cache.set(file, read(file, lang, ...rest));
      return cache.get(file);
    };
    host.fileExists = (file) => path.resolve(file) === dtsPath || ts.sys.fileExists(file);
    host.readFile = (file) => (path.resolve(file) === dtsPath ? dtsText : ts.sys.readFile(file));
    const program = ts.createProgram([example], options, host);
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  };
  // The unchanged file passes here too (so the failures below are the mutations').
  assert.deepEqual(errorsWith(original), []);
  const mutations = {
    'QlabelError without a code': [/readonly code: ErrorCode;/, ''],
    'verify() resolving to unknown': [/verify\(([^)]*)\): Promise<Report>/, 'verify($1): Promise<unknown>'],
    'offline as a string': [/offline\?: boolean;/, 'offline?: string;'],
    'a status the example does not handle': [/export type BadgeStatus =/, "export type BadgeStatus = 'pending' |"],
    'any option accepted': [/export interface VerifyOptions \{/, 'export interface VerifyOptions {\n  [option: string]: unknown;'],
  };
  for (const [what, [pattern, replacement]] of Object.entries(mutations)) {
    assert.match(original, pattern, `index.d.ts changed: cannot make '${what}'; update this test`);
    const errors = errorsWith(original.replace(pattern, replacement));
    assert.ok(errors.length > 0, `the example type-checks against a .d.ts with ${what}`);
  }
});

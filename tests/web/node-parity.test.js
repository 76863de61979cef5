// Verdict parity in Node: every case the native vector tests ran (both manifests),
// replayed through qlabel-wasm with the same input, options and web, must get the
// verdict native qlabel gave in that run.

import test from 'node:test';
import assert from 'node:assert/strict';
import {
  pkgUrl,
  pkgDir,
  loadPlan,
  fromBase64,
  optionsOf,
  publicExpectation,
  planFetch,
  rawFetcher,
  differences,
  outcomeOf,
} from './support.js';

const q = await import(pkgUrl);
const cases = loadPlan();

test('the plan covers both manifests', () => {
  const ob3 = cases.filter((c) => c.name.startsWith('ob3:')).length;
  const ob2 = cases.filter((c) => c.name.startsWith('ob2:')).length;
  assert.ok(ob3 >= 150, `only ${ob3} OB 3.0 cases in the plan`);
  assert.ok(ob2 >= 40, `only ${ob2} OB 2.0 cases in the plan`);
  // The plan is what native concluded, not a copy of the manifest: some verdicts differ
  // from the manifest's on purpose (cases whose URLs real fetchers refuse).
  assert.ok(cases.every((c) => c.native && (c.native.error || c.native.badge)), 'a case without a native verdict');
});

test(`public API: verify(bytes, {at, source, …, fetch}) gives native's verdict on all ${cases.length} cases`, async () => {
  const mismatches = [];
  for (const c of cases) {
    const { web, native } = publicExpectation(c);
    await q.clearCache();
    const f = planFetch(web);
    const outcome = await outcomeOf(q.verify(fromBase64(c.input), { ...optionsOf(c), fetch: f.fetch }));
    const d = differences(c, native, outcome);
    if (f.unexpected.length) d.push(`wasm fetched what native did not: ${f.unexpected.join(', ')}`);
    const skipped = web.filter((w) => !w.answer.error && !f.requested.includes(w.url)).map((w) => w.url);
    if (skipped.length) d.push(`native fetched what wasm did not: ${skipped.join(', ')}`);
    // What native refused to fetch, the glue must refuse before fetching too.
    for (const url of c.policy?.refused ?? []) {
      if (f.requested.includes(url)) d.push(`wasm fetched ${url}, which real fetchers refuse`);
    }
    if (d.length) mismatches.push(`${c.name}\n    ${d.join('\n    ')}`);
  }
  console.log(`# node: ${cases.length} cases replayed through verify(), ${mismatches.length} mismatches`);
  assert.equal(mismatches.length, 0, `${mismatches.length} of ${cases.length} cases differ from native:\n${mismatches.join('\n')}`);
});

test('module level: the cases whose URLs real fetchers refuse, on the web as native had it', async () => {
  // The glue refuses plain http to other machines (as the CLI does), so these cases'
  // native verdicts on the permissive test web are checked against the module's own
  // export, with a fetcher that answers exactly what the in-memory web answered.
  const core = await import(new URL('qlabel_wasm.js', pkgUrl).href);
  await q.init();
  await q.loadRdfc();
  const policyCases = cases.filter((c) => c.policy);
  assert.ok(policyCases.length > 0, 'no case fetched a plain-http URL: the plan changed, revisit this test');
  const mismatches = [];
  for (const c of policyCases) {
    const { fetcher, unexpected } = rawFetcher(c.web);
    const wire = JSON.stringify({ ...optionsOf(c), offline: false });
    let outcome;
    try {
      outcome = { report: JSON.parse(await core.verifyBytes(fromBase64(c.input), wire, fetcher)) };
    } catch (e) {
      outcome = { error: e.code, message: e.message };
    }
    const d = differences(c, c.native, outcome);
    if (unexpected.length) d.push(`wasm fetched what native did not: ${unexpected.join(', ')}`);
    if (d.length) mismatches.push(`${c.name}\n    ${d.join('\n    ')}`);
  }
  console.log(`# node: ${policyCases.length} cases replayed through the module's verifyBytes (${pkgDir})`);
  assert.equal(mismatches.length, 0, `${mismatches.length} of ${policyCases.length} cases differ from native:\n${mismatches.join('\n')}`);
});

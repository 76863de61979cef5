// qlabel-wasm as a TypeScript user writes it. `types.test.js` type-checks this file with
// `tsc --noEmit --strict` against dist/pkg/index.d.ts: it must compile, and every line
// marked @ts-expect-error must be an error (so a .d.ts that accepts too much fails too).

import {
  init,
  verify,
  extract,
  assess,
  clearCache,
  rdfcLoaded,
  QlabelError,
  type BadgeInput,
  type BadgeStatus,
  type Check,
  type ErrorCode,
  type Report,
  type VerifyOptions,
} from 'qlabel-wasm';

/** One line for people, from the statuses programs read. */
export function summary(report: Report): string {
  const status: BadgeStatus = report.badge.status;
  switch (status) {
    case 'valid': {
      const issuer = report.badge.issuer?.name ?? report.badge.issuer?.id ?? 'an unnamed issuer';
      const labelled = report.label.status === 'labelled' ? `, labelled by ${report.label.authority?.name ?? '?'}` : '';
      return `valid badge from ${issuer}${labelled}`;
    }
    case 'invalid':
    case 'revoked':
    case 'expired':
    case 'not-yet-valid':
      return `not valid (${status}): ${failing(report.badge.checks).map((c) => c.message).join('; ')}`;
    case 'unverifiable':
      return `could not be verified: ${report.badge.checks.filter((c) => c.unverifiable).map((c) => c.id).join(', ')}`;
    default: {
      // Every status is handled above.
      const never: never = status;
      return never;
    }
  }
}

function failing<Id extends string>(checks: Check<Id>[]): Check<Id>[] {
  return checks.filter((c) => c.status === 'fail');
}

export async function check(input: BadgeInput, trustJson?: string): Promise<string> {
  await init();
  const options: VerifyOptions = {
    at: new Date('2026-06-01T00:00:00Z'),
    timeout: 5000,
    maxBytes: 1 << 20,
    recipient: 'learner@example.org',
    fetch: (url, request) => fetch(url, request),
  };
  if (trustJson !== undefined) options.trust = trustJson;
  try {
    const report = await verify(input, options);
    const proof = report.badge.checks.find((c) => c.id === 'proof');
    const fetched: string[] = (report.input.fetched ?? []).map((f) => f.url);
    const baked: 'png' | 'svg' | null = report.input.baked;
    return `${summary(report)} (proof: ${proof?.status ?? 'none'}, fetched ${fetched.length}, baked ${baked ?? 'no'})`;
  } catch (e) {
    if (e instanceof QlabelError) {
      const code: ErrorCode = e.code;
      if (code === 'bad-input' || code === 'invalid-json') return `not a badge: ${e.message}`;
      return `error ${code}: ${e.message}`;
    }
    throw e;
  }
}

export async function more(image: Blob): Promise<void> {
  const baked = await extract(image);
  const kind: 'png' | 'svg' = baked.kind;
  const payload: string = baked.payload;
  const assessment = await assess(payload);
  const failed: number = assessment.summary.fail;
  const loaded: boolean = rdfcLoaded();
  await clearCache();
  void [kind, failed, loaded];
}

export async function misuse(report: Report): Promise<void> {
  // @ts-expect-error: 'maybe' is not a badge status
  const s: BadgeStatus = 'maybe';
  // @ts-expect-error: offline is a boolean
  await verify('{}', { offline: 'yes' });
  // @ts-expect-error: there is no such option
  await verify('{}', { colour: 'blue' });
  // @ts-expect-error: a number is not an input
  await verify(42);
  // @ts-expect-error: the label's status is not a badge status
  const b: BadgeStatus = report.label.status;
  // @ts-expect-error: error codes are a closed set
  const c: ErrorCode = 'whatever';
  void [s, b, c];
}

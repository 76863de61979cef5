// Types of qlabel-wasm's JavaScript API. The report is `qlabel-report/1` (DESIGN.md):
// ids and statuses are for programs, messages for people.

/** What a badge can be given as: JSON, JWT or URL text, a URL, bytes or a Blob. */
export type BadgeInput = string | URL | Uint8Array | ArrayBuffer | ArrayBufferView | Blob;

/** A label authority as `qlabel authority trust` prints it. */
export interface TrustAnchor {
  type: 'QualityLabelTrustAnchor';
  id: string;
  name: string;
  keys: { id: string; publicKeyMultibase: string }[];
  registry?: string;
  shards?: string;
}

/** What a fetcher resolves to (see `VerifyOptions.fetch`). */
export type FetchFunction = (input: string, init?: RequestInit) => Promise<Response>;

export interface VerifyOptions {
  /** The time to judge validity at (default: now). */
  at?: Date | string | number;
  /**
   * Label authorities whose labels count: the anchors, a trust file's JSON text, or
   * the https URL of a trust file (fetched).
   */
  trust?: TrustAnchor | TrustAnchor[] | string | URL;
  /** A registry URL to consult instead of the trust anchors' own. */
  registry?: string | URL;
  /** Fetch nothing: what needs the network is reported `unverifiable`. */
  offline?: boolean;
  /** The earner to compare with the badge's recipient (email address or URL). */
  recipient?: string;
  /** Per-request timeout in milliseconds (default 10 000). */
  timeout?: number;
  /** Largest input or fetched document, in bytes (default 2 MiB). */
  maxBytes?: number;
  /** The `fetch` to use (default: the global one). */
  fetch?: FetchFunction;
  /** Where the input came from, for the report. */
  source?: string;
}

export type BadgeStatus = 'valid' | 'invalid' | 'revoked' | 'expired' | 'not-yet-valid' | 'unverifiable';
export type LabelStatus =
  | 'labelled'
  | 'not-labelled'
  | 'expired'
  | 'suspended'
  | 'withdrawn'
  | 'untrusted'
  | 'unknown'
  | 'not-evaluated';
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';
export type BadgeFormat = 'ob2-hosted' | 'ob2-signed' | 'ob3-jsonld' | 'ob3-jwt';

export type BadgeCheckId =
  | 'format'
  | 'proof'
  | 'key-binding'
  | 'hosted-origin'
  | 'status'
  | 'validity'
  | 'recipient'
  | 'endorsements';
export type LabelCheckId =
  | 'registry-signature'
  | 'registry-freshness'
  | 'label-proof'
  | 'label-authority'
  | 'label-holder'
  | 'label-validity'
  | 'label-status'
  | 'label-scope';

export interface Check<Id extends string = string> {
  id: Id;
  status: CheckStatus;
  /** For people, in English. */
  message: string;
  /** Present (true) when the check could not be performed at all. */
  unverifiable?: true;
}

export interface FetchRecord {
  url: string;
  redirects?: string[];
  /** Why the document could not be had; absent when it was. */
  error?: string;
}

export interface Report {
  schema: 'qlabel-report/1';
  input: {
    format: BadgeFormat;
    /** 'png' or 'svg' when the badge was baked into an image. */
    baked: 'png' | 'svg' | null;
    source: string | null;
    fetched?: FetchRecord[];
  };
  badge: {
    status: BadgeStatus;
    id: string | null;
    name: string | null;
    description: string | null;
    image: string | null;
    issuer: { id: string; name: string | null; url: string | null } | null;
    achievement?: string;
    recipient: unknown;
    issued: string | null;
    expires: string | null;
    checks: Check<BadgeCheckId>[];
  };
  label: {
    status: LabelStatus;
    authority: { id: string; name: string | null } | null;
    holder: { id: string; name: string | null } | null;
    validFrom: string | null;
    validUntil: string | null;
    heldAtIssuance: boolean | null;
    certificate: string | null;
    /** Hosts on which the holder may show its seal (from the registry). */
    domains?: string[];
    checks: Check<LabelCheckId | BadgeCheckId>[];
  };
}

/** The label part of a report: what a seal shows. */
export type LabelReport = Report['label'];

export interface Baked {
  kind: 'png' | 'svg';
  /** JSON, a compact JWS/JWT, or a hosted assertion's URL. */
  payload: string;
}

export type CriterionStatus = 'pass' | 'fail' | 'not-applicable' | 'needs-human-review';

export interface Assessment {
  schema: 'qlabel-assessment/1';
  format: 'ob2' | 'ob3' | 'unknown';
  name: string | null;
  criteria: { id: string; title: string; status: CriterionStatus; field: string; message: string }[];
  summary: { pass: number; fail: number; 'not-applicable': number; 'needs-human-review': number };
}

/** Stable error codes. */
export type ErrorCode =
  | 'bad-input'
  | 'bad-options'
  | 'too-large'
  | 'not-utf8'
  | 'invalid-json'
  | 'too-deep'
  | 'unknown-format'
  | 'invalid-key'
  | 'json-ld'
  | 'not-an-image'
  | 'not-baked'
  | 'fetch-failed'
  | 'load-failed'
  | 'internal';

/** Thrown when an input cannot be read at all; verdicts are reports, not errors. */
export class QlabelError extends Error {
  readonly code: ErrorCode;
}

/** Module source for init()/loadRdfc() where the default location does not work. */
export type ModuleSource = URL | string | Response | BufferSource | WebAssembly.Module;

/** Loads the first module (the others call it; call it to load early). */
export function init(module?: ModuleSource): Promise<void>;
/** Loads the RDF canonicalization module (verify() does this when needed). */
export function loadRdfc(module?: ModuleSource): Promise<void>;
/**
 * Hands over the glue of the lazily loaded modules (`./qlabel_wasm_rdfc.js`,
 * `./qlabel_wasm_assess.js`), imported statically, where `import()` is not allowed
 * (an extension's service worker). Their wasm is still fetched only when first needed.
 */
export function provideModules(modules: { rdfc?: unknown; assess?: unknown }): void;
/** Whether the RDF canonicalization module has been asked for. */
export function rdfcLoaded(): boolean;
/** Verifies a badge and its issuer's Quality Label. */
export function verify(input: BadgeInput, options?: VerifyOptions): Promise<Report>;
/** The Quality Label of an organisation (a seal), by its issuer id. */
export function label(holder: string, options?: VerifyOptions): Promise<LabelReport>;
/** The badge baked into a PNG or SVG image. */
export function extract(image: Uint8Array | ArrayBuffer | ArrayBufferView | Blob): Promise<Baked>;
/** The standard's machine-checkable criteria for one badge. */
export function assess(input: BadgeInput, options?: Pick<VerifyOptions, 'timeout' | 'fetch'>): Promise<Assessment>;
/**
 * A `fetch` for the `fetch` option that verifications share: a GET asked for again
 * within `ttlMs` (default 30 000) is answered from the first request's response (a
 * clone), and simultaneous requests wait for one another. Failures are not kept.
 */
export function shareFetches(options?: { ttlMs?: number; fetchImpl?: FetchFunction }): FetchFunction;
/** Forgets cached registries and status lists (memory and Cache API). */
export function clearCache(): Promise<void>;

/** A page as the extension's content script collects it (absolute URLs). */
export interface PageInput {
  url?: string;
  links?: string[];
  images?: { src?: string; alt?: string; title?: string }[];
  /** Texts of `<script type="application/ld+json">`. */
  scripts?: string[];
  /** `<link rel="alternate">` as `[href, type]`. */
  alternates?: [string, string][];
  /** Credly embeds as `[data-share-badge-id, data-share-badge-host]`. */
  embeds?: [string, string][];
}
/** One badge found on a page. */
export interface DetectedBadge {
  source: 'page' | 'link' | 'image' | 'script' | 'alternate' | 'embed';
  /** Position of the item in its list of the PageInput (0 for the page). */
  index: number;
  /** credly, badgr, edubadges, obf, obp, cities-of-learning, europass, generic; null for images and scripts. */
  platform: string | null;
  page: string | null;
  /** What to verify; null when link-only (and for images and scripts). */
  fetch: string | null;
  /** The field of the fetched platform JSON that holds the badge's URL (followVia). */
  via: string | null;
}
/** The badges on a page, by the same rules as `qlabel scan`. */
export function detect(page: PageInput): Promise<DetectedBadge[]>;
/** Whether the first bytes of an image download hold a baked badge. */
export function bakedPrefix(bytes: Uint8Array | ArrayBuffer | ArrayBufferView | Blob): Promise<'badge' | 'not-baked' | 'more'>;
/** The https (or loopback http) URL in a top-level string field of platform JSON, or null. */
export function followVia(text: string, field: string): Promise<string | null>;

/** One label of a registry, as `readRegistry` lists it. */
export interface RegistryListing {
  holder: { id: string; name: string; ids: string[] };
  label: string;
  status: 'active' | 'suspended' | 'withdrawn' | 'expired';
  validFrom: string;
  validUntil: string;
  certificate: string;
  credential: string;
  domains: string[];
  scope: string[];
}
/** A registry whose signature verified against the trust anchors given. */
export interface RegistryRead {
  authority: { id: string; name: string };
  updated: string | null;
  nextUpdate: string | null;
  /** Past its `nextUpdate` at the time given. */
  stale: boolean;
  entries: RegistryListing[];
}
/**
 * Reads a label registry (JSON text or parsed) after checking its signature against
 * the trust anchors (a trust file's JSON text, an anchor or a list of anchors); `at`
 * is when its freshness is judged (default now). Rejects with codes `untrusted`,
 * `bad-signature`, `not-a-registry`, `invalid-json`, `bad-options`.
 */
export function readRegistry(registry: string | object, trust: string | TrustAnchor | TrustAnchor[], at?: Date | string | number): Promise<RegistryRead>;

/**
 * Every failure the core reports is a KieError with a `kind` the UI can act on. The `message` is a
 * plain English sentence for logs and tests; the extension layer shows its own localized text per kind
 * and adds `detail` (what Kie said) verbatim.
 */
export type KieErrorKind =
  | 'unauthorized'
  | 'insufficientCredits'
  | 'rateLimited'
  | 'validation'
  | 'modelUnavailable'
  | 'maintenance'
  | 'server'
  | 'generationFailed'
  | 'notFound'
  | 'featureDisabled'
  | 'network'
  | 'timeout'
  | 'badResponse'
  | 'invalidInput'
  | 'downloadFailed'
  | 'cancelled'
  | 'upstreamTimeout'
  | 'keyLimit'
  | 'imageUnreachable';

/** What the user can do next; the extension turns it into a button. */
export type NextStep = 'setApiKey' | 'topUp' | 'retry' | 'wait' | 'changePrompt' | 'changeModel' | 'fixInput' | 'none';

export interface KieErrorInit {
  kind: KieErrorKind;
  message: string;
  /** Kie's own message (`msg`/`message`/`failMsg`), shown to the user as is. */
  detail?: string;
  /** Envelope `code` from the body, when there was one. */
  code?: number;
  httpStatus?: number;
  retryAfterMs?: number;
  taskId?: string;
  failCode?: string;
  /** For modelUnavailable: a catalog id to suggest instead. */
  alternativeModel?: string;
  /** For invalidInput: which form field is wrong. */
  field?: string;
  cause?: unknown;
}

const NEXT_STEP: Record<KieErrorKind, NextStep> = {
  unauthorized: 'setApiKey',
  insufficientCredits: 'topUp',
  rateLimited: 'wait',
  validation: 'fixInput',
  modelUnavailable: 'changeModel',
  maintenance: 'wait',
  server: 'retry',
  generationFailed: 'changePrompt',
  notFound: 'none',
  featureDisabled: 'changeModel',
  network: 'retry',
  timeout: 'retry',
  badResponse: 'retry',
  invalidInput: 'fixInput',
  downloadFailed: 'retry',
  cancelled: 'none',
  upstreamTimeout: 'changeModel',
  keyLimit: 'setApiKey',
  imageUnreachable: 'fixInput',
};

/** Kinds worth retrying automatically on an idempotent request. */
const TRANSIENT: ReadonlySet<KieErrorKind> = new Set(['rateLimited', 'maintenance', 'server', 'network', 'timeout', 'badResponse']);

export class KieError extends Error {
  readonly kind: KieErrorKind;
  readonly detail?: string;
  readonly code?: number;
  readonly httpStatus?: number;
  readonly retryAfterMs?: number;
  readonly taskId?: string;
  readonly failCode?: string;
  readonly alternativeModel?: string;
  readonly field?: string;

  constructor(init: KieErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'KieError';
    this.kind = init.kind;
    this.detail = init.detail;
    this.code = init.code;
    this.httpStatus = init.httpStatus;
    this.retryAfterMs = init.retryAfterMs;
    this.taskId = init.taskId;
    this.failCode = init.failCode;
    this.alternativeModel = init.alternativeModel;
    this.field = init.field;
  }

  get next(): NextStep {
    return NEXT_STEP[this.kind];
  }

  get transient(): boolean {
    return TRANSIENT.has(this.kind);
  }
}

export function isKieError(e: unknown): e is KieError {
  return e instanceof KieError;
}

/** The next step for an error kind, also for errors stored in the ledger (which keep only the kind). */
export function nextStep(kind: KieErrorKind): NextStep {
  return NEXT_STEP[kind];
}

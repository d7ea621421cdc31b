import { BUNDLED_SPECS, DEFAULT_MODEL, findBundled, findBundledByApiName } from '../models/bundledSpecs';
import { KieError, type KieErrorKind } from './errors';

/** What is known about a failed answer when deciding what it means. */
export interface FailureFacts {
  /** Envelope `code` from the body, when the body had one. */
  code?: number;
  httpStatus?: number;
  /** Kie's own message (`msg` or `message`). */
  detail?: string;
  /** Raw `Retry-After` header value. */
  retryAfter?: string;
  /** Kie's model name (or catalog id) of the request, so an unpublished model can suggest another. */
  model?: string;
  taskId?: string;
  /** Milliseconds since the epoch, for HTTP-date Retry-After values. */
  now?: number;
}

/** Kie's answer to an unknown or retired model, and close variants seen on other endpoints. */
const MODEL_GONE = /not published|page does not exist|model .*(not (found|supported|exist|available))|(unsupported|invalid|unknown) model/i;
/** A model Kie switched off (every Sora 2 id since June 2026), whatever the code it comes with. */
const MODEL_PAUSED = /temporarily paused/i;
const NULL_RECORD = /recordInfo is null|task not found|record not found/i;
const FIELD_REQUIRED = /is required|required field|must not be (empty|null|blank)|invalid param/i;

/**
 * Retry-After is either delta-seconds or an HTTP-date. Anything unparsable is ignored rather than
 * guessed, so the backoff schedule applies instead.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** The catalog id to suggest when `model` is gone: its declared successor, else the first live model. */
export function alternativeFor(model: string | undefined): string | undefined {
  const spec = model === undefined ? undefined : (findBundledByApiName(model) ?? findBundled(model));
  if (spec?.retired) return spec.retired.alternative;
  const live = BUNDLED_SPECS.filter((m) => !m.retired && m.id !== spec?.id);
  if (!spec || spec.kind === 'text') return live.find((m) => m.id === DEFAULT_MODEL)?.id ?? live[0]?.id;
  return (live.find((m) => m.kind === spec.kind) ?? live[0])?.id;
}

function kindFor(status: number, detail: string): KieErrorKind {
  if (MODEL_PAUSED.test(detail)) return 'modelUnavailable';
  switch (status) {
    case 400:
      return 'validation';
    case 401:
    case 403:
      return 'unauthorized';
    case 402:
      return 'insufficientCredits';
    case 404:
      return MODEL_GONE.test(detail) ? 'modelUnavailable' : 'notFound';
    case 408:
      return 'upstreamTimeout';
    case 422:
      if (NULL_RECORD.test(detail)) return 'notFound';
      if (MODEL_GONE.test(detail)) return 'modelUnavailable';
      return 'validation';
    case 429:
      return 'rateLimited';
    case 433:
      return 'keyLimit';
    case 451:
      return 'imageUnreachable';
    case 455:
      return 'maintenance';
    case 500:
      return FIELD_REQUIRED.test(detail) ? 'validation' : 'server';
    case 501:
      return 'generationFailed';
    case 505:
      return 'featureDisabled';
    default:
      if (status >= 500) return 'server';
      if (status >= 400) return 'validation';
      return 'badResponse';
  }
}

const SENTENCE: Record<KieErrorKind, string> = {
  unauthorized: 'Kie rejected the API key: set a valid key.',
  insufficientCredits: 'Your Kie account has too few credits for this generation: top up and try again.',
  rateLimited: 'Kie is rate limiting this key: wait a moment before trying again.',
  validation: 'Kie rejected the request as invalid.',
  modelUnavailable: 'Kie no longer serves this model: pick another one.',
  maintenance: 'Kie is under maintenance: try again later.',
  server: 'Kie reported a server error.',
  generationFailed: 'Kie could not generate the video.',
  notFound: 'Kie does not know this task.',
  featureDisabled: 'This feature is disabled on Kie for this account or model.',
  network: 'Could not reach Kie.',
  timeout: 'Kie did not answer in time.',
  badResponse: 'Kie sent an answer this extension cannot read.',
  invalidInput: 'The input is not valid.',
  downloadFailed: 'The video could not be downloaded.',
  cancelled: 'The request was cancelled.',
  upstreamTimeout: 'The model returned nothing for over 10 minutes: try again later or pick another model.',
  keyLimit: "This API key is over the usage limit set for it on Kie: raise the key's limit on Kie or use another key.",
  imageUnreachable: 'Kie could not fetch an input image: upload it again or choose another image.',
};

/**
 * Turns a non-success answer into a KieError. The body's code wins over the HTTP status because Kie
 * was seen answering HTTP 200 with `{"code":401}`.
 */
export function errorFromFailure(facts: FailureFacts): KieError {
  const status = facts.code ?? facts.httpStatus ?? 0;
  const detail = facts.detail?.trim() || undefined;
  const kind = kindFor(status, detail ?? '');
  const retryAfterMs = kind === 'rateLimited' || kind === 'maintenance' ? parseRetryAfter(facts.retryAfter, facts.now) : undefined;
  const alternativeModel = kind === 'modelUnavailable' ? alternativeFor(facts.model) : undefined;
  let message = SENTENCE[kind];
  if (kind === 'modelUnavailable' && alternativeModel) message += ` Try ${alternativeModel}.`;
  if (kind === 'rateLimited' && retryAfterMs !== undefined) message += ` Kie asks to wait ${Math.ceil(retryAfterMs / 1000)} s.`;
  if (detail) message += ` (${status}: ${detail})`;
  else if (status) message += ` (${status})`;
  return new KieError({
    kind,
    message,
    detail,
    code: facts.code,
    httpStatus: facts.httpStatus,
    retryAfterMs,
    taskId: facts.taskId,
    alternativeModel,
  });
}

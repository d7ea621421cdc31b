import { json, type Answer } from './http';

/**
 * Kie's answers vary in ways a client must tolerate; each variation can be pinned for a whole run
 * (`Simulator.setQuirks`) or for one request with the `X-Sim-Quirks` header
 * (comma list of: message-field, empty-null, empty-string, veo-urls-string, veo-urls-array).
 */
export interface Quirks {
  /** Spell the envelope's message field `message` instead of `msg` (as some documented examples do). */
  messageField?: boolean;
  /** How empty `resultJson`/`failCode`/`failMsg` come: `""`, `null`, or alternating task by task. */
  emptyAs?: 'empty-string' | 'null' | 'alternate';
  /** Veo `response.resultUrls` as an array, as a JSON string, or alternating task by task. */
  veoResultUrlsAs?: 'array' | 'string' | 'alternate';
}

export const DEFAULT_QUIRKS: Required<Quirks> = { messageField: false, emptyAs: 'alternate', veoResultUrlsAs: 'alternate' };

export function quirksFromHeader(base: Required<Quirks>, header: string | undefined): Required<Quirks> {
  const q = { ...base };
  for (const word of (header ?? '').split(',').map((s) => s.trim().toLowerCase())) {
    if (word === 'message-field') q.messageField = true;
    else if (word === 'empty-null') q.emptyAs = 'null';
    else if (word === 'empty-string') q.emptyAs = 'empty-string';
    else if (word === 'veo-urls-string') q.veoResultUrlsAs = 'string';
    else if (word === 'veo-urls-array') q.veoResultUrlsAs = 'array';
  }
  return q;
}

/** Kie's wording where it is known, a plausible sentence where it is not. */
export const DEFAULT_MESSAGES: Readonly<Record<number, string>> = {
  200: 'success',
  400: 'Bad request',
  401: 'You do not have access permissions',
  402: 'The current credits are insufficient. Please top up.',
  404: 'Not found',
  405: 'Method not allowed',
  408: 'Upstream is currently experiencing service issues. No result has been returned for over 10 minutes.',
  413: 'Request entity too large',
  422: 'Validation error',
  429: 'Rate limit exceeded',
  433: 'Request Limit - Sub-key Usage Exceeds Limit',
  451: 'Failed to fetch the image. Please check that the image URL is publicly accessible.',
  455: 'Service unavailable: system maintenance',
  500: 'Server error, please try again later',
  501: 'Generation failed',
  505: 'This feature is disabled',
};

export function messageFor(code: number): string {
  return DEFAULT_MESSAGES[code] ?? 'Error';
}

/** The api.kie.ai envelope; HTTP 200 unless told otherwise, because that is how Kie answers. */
export function kie(code: number, msg: string | undefined, data: unknown, opts: { httpStatus?: number; headers?: Record<string, string> } = {}): Answer {
  return json({ code, msg: msg ?? messageFor(code), data }, opts.httpStatus ?? 200, opts.headers);
}

export function kieOk(data: unknown): Answer {
  return kie(200, 'success', data);
}

export function kieError(code: number, msg?: string, httpStatus?: number, headers?: Record<string, string>): Answer {
  return kie(code, msg, null, { httpStatus, headers });
}

/** The upload host's envelope adds `success`. */
export function uploadError(code: number, msg?: string, httpStatus = 200): Answer {
  return json({ success: false, code, msg: msg ?? messageFor(code) }, httpStatus);
}

/** imgbb reports every error, rate limiting included, as HTTP 400 with its own shape. */
export function imgbbError(message: string, code: number, httpStatus = 400): Answer {
  return json({ status_code: httpStatus, error: { message, code }, status_txt: httpStatus === 400 ? 'Bad Request' : 'Error' }, httpStatus);
}

/** Renames `msg` to `message` in a Kie-style body when the quirk is on. */
export function applyMessageQuirk(answer: Answer, quirks: Required<Quirks>): Answer {
  const body = answer.body;
  if (!quirks.messageField || answer.rawContentType !== undefined || typeof body !== 'object' || body === null || !('msg' in body)) {
    return answer;
  }
  const { msg, ...rest } = body as Record<string, unknown>;
  return { ...answer, body: { ...rest, message: msg } };
}

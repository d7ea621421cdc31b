import { errorFromFailure } from './errorMapping';
import { KieError } from './errors';

/** An HTTP answer read to the end: what the envelope decoder needs. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, when it was JSON. */
  json?: unknown;
}

/** Context that turns a bare code into a useful error. */
export interface AnswerContext {
  model?: string;
  taskId?: string;
}

export function headerValue(headers: RawAnswer['headers'], name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses a body as JSON without throwing; undefined when it is not JSON. */
export function tryParseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Accepts numbers and numeric strings, because the same field was seen in both forms. */
export function asInt(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

/** The envelope's message, spelled `msg` or `message` depending on the endpoint. */
export function envelopeMessage(body: Record<string, unknown>): string | undefined {
  const m = body.msg ?? body.message;
  return typeof m === 'string' ? m : undefined;
}

function notJson(answer: RawAnswer, ctx: AnswerContext): KieError {
  const text = snippet(answer.text);
  if (/error code:\s*10\d\d/i.test(text) || (answer.status === 403 && !text.startsWith('{'))) {
    return new KieError({
      kind: 'badResponse',
      message:
        `Kie's firewall refused the request (HTTP ${answer.status}: ${text || 'no body'}). ` +
        'This happens when a proxy or network filter replaces the User-Agent or blocks the connection; ' +
        'check the proxy settings, or try another network.',
      detail: text || undefined,
      httpStatus: answer.status,
      taskId: ctx.taskId,
    });
  }
  if (answer.status >= 400) {
    return errorFromFailure({
      httpStatus: answer.status,
      detail: text || undefined,
      retryAfter: headerValue(answer.headers, 'retry-after'),
      model: ctx.model,
      taskId: ctx.taskId,
    });
  }
  return new KieError({
    kind: 'badResponse',
    message: `Kie answered HTTP ${answer.status} with a body that is not valid JSON${text ? `: ${text}` : ' (empty)'}.`,
    detail: text || undefined,
    httpStatus: answer.status,
    taskId: ctx.taskId,
  });
}

/**
 * Returns the envelope's `data` on success, otherwise throws the KieError the answer means. The body's
 * `code` decides first; the HTTP status only when the body carries none.
 */
export function decodeEnvelope(answer: RawAnswer, ctx: AnswerContext = {}): unknown {
  const body = answer.json;
  if (!isRecord(body)) {
    if (body !== undefined && answer.status < 400) {
      throw new KieError({
        kind: 'badResponse',
        message: `Kie answered HTTP ${answer.status} with JSON that is not an envelope: ${snippet(answer.text)}`,
        httpStatus: answer.status,
        taskId: ctx.taskId,
      });
    }
    throw notJson(answer, ctx);
  }
  const code = asInt(body.code);
  const detail = envelopeMessage(body);
  if (code === 200 && answer.status < 400) return body.data;
  if (code === undefined && answer.status < 400) {
    throw new KieError({
      kind: 'badResponse',
      message: `Kie answered HTTP ${answer.status} without an envelope code: ${snippet(answer.text)}`,
      detail,
      httpStatus: answer.status,
      taskId: ctx.taskId,
    });
  }
  throw errorFromFailure({
    code: code === 200 ? undefined : code,
    httpStatus: answer.status,
    detail,
    retryAfter: headerValue(answer.headers, 'retry-after'),
    model: ctx.model,
    taskId: ctx.taskId,
  });
}

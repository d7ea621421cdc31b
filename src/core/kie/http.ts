import type { Readable } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import { tryParseJson, asInt, isRecord, type RawAnswer } from './envelope';
import { KieError } from './errors';
import { cancelledError } from './retry';

/**
 * Buffer size for streamed bodies. Node's 64 KB default makes a download CPU-bound on a fast link (one
 * callback per chunk); 1 MiB measured 1.7x the throughput in bench/download.ts at no cost in memory.
 */
export const STREAM_CHUNK_BYTES = 1 << 20;
import type { RequestLogger } from '../types';

export const DEFAULT_TIMEOUT_MS = 30_000;
/** JSON answers are small; a larger body is a misbehaving server, not data worth buffering. */
const MAX_JSON_BYTES = 5 * 1024 * 1024;

const SECRET_PARAMS = /^(key|api_?key|token|access_token|auth|signature|sig|x-amz-signature|x-amz-credential|x-amz-security-token)$/i;

/** Path and query of a URL with secret-bearing query values replaced, for logs and error messages. */
export function redactUrl(url: string | URL): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  const params = [...u.searchParams.entries()].map(([k, v]) => `${encodeURIComponent(k)}=${SECRET_PARAMS.test(k) ? '***' : encodeURIComponent(v)}`);
  return params.length ? `${u.pathname}?${params.join('&')}` : u.pathname;
}

/** Socket-level failures that happen before a single byte of the request left this machine. */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function errorCode(e: unknown): string | undefined {
  return isRecord(e) && typeof e.code === 'string' ? e.code : undefined;
}

/**
 * True when the request certainly never reached the server (connection refused, DNS failure, a proxy
 * refusing the tunnel). Only then may a non-idempotent request such as createTask be sent again.
 */
export function requestNeverSent(e: unknown): boolean {
  const cause = e instanceof KieError ? e.cause : e;
  for (let c: unknown = cause, depth = 0; c !== undefined && depth < 4; c = isRecord(c) ? c.cause : undefined, depth++) {
    const code = errorCode(c);
    if (code && NEVER_SENT_CODES.has(code)) return true;
    if (c instanceof Error && /^Proxy response \(\d+\) !== 200/.test(c.message)) return true;
    if (c instanceof AggregateError && c.errors.every((inner) => NEVER_SENT_CODES.has(errorCode(inner) ?? ''))) return true;
  }
  return false;
}

export interface HttpClientOptions {
  userAgent: string;
  dispatcherFor: (target: URL) => Dispatcher;
  logger?: RequestLogger;
  timeoutMs?: number;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  bearer?: string;
  /** Sent as JSON. */
  json?: unknown;
  /** A streamed body (multipart uploads); `headers` must describe it. */
  body?: Readable;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  attempt?: number;
  taskId?: string;
  /** Overrides the client's timeout: for JSON calls the whole exchange, for streams the wait for headers and between chunks. */
  timeoutMs?: number;
}

/** A response whose body the caller streams; the caller must consume or destroy `body`. */
export interface OpenResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

/**
 * The one place that performs HTTP for the core: base headers, User-Agent, Bearer auth, timeouts,
 * cancellation, proxy choice, and a redacted log line per request.
 */
export class HttpClient {
  private readonly timeoutMs: number;

  constructor(private readonly opts: HttpClientOptions) {
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Performs a request and reads the whole (JSON-sized) answer. */
  async send(req: HttpRequest): Promise<RawAnswer> {
    const started = Date.now();
    const timeoutMs = req.timeoutMs ?? this.timeoutMs;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error(`timeout after ${timeoutMs} ms`)), timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline.signal]) : deadline.signal;
    try {
      const res = await request(req.url, { ...this.requestOptions(req), signal });
      const text = await readCapped(res.body, MAX_JSON_BYTES);
      const json = tryParseJson(text);
      const answer: RawAnswer = { status: res.statusCode, headers: res.headers, text, json };
      this.log(req, started, { status: res.statusCode, code: isRecord(json) ? asInt(json.code) : undefined });
      return answer;
    } catch (e) {
      req.body?.destroy();
      const err = transportError(e, req, timeoutMs, deadline.signal.aborted);
      this.log(req, started, { error: err.message });
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Opens a request whose body is streamed (downloads). The timeout bounds the wait for headers and
   * each gap between chunks, not the whole transfer, so a large file on a slow link still completes.
   */
  async open(req: HttpRequest): Promise<OpenResponse> {
    const started = Date.now();
    const timeoutMs = req.timeoutMs ?? this.timeoutMs;
    try {
      const res = await request(req.url, {
        ...this.requestOptions(req),
        signal: req.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        highWaterMark: STREAM_CHUNK_BYTES,
      });
      this.log(req, started, { status: res.statusCode });
      return { status: res.statusCode, headers: res.headers, body: res.body };
    } catch (e) {
      const err = transportError(e, req, timeoutMs, false);
      this.log(req, started, { error: err.message });
      throw err;
    }
  }

  private requestOptions(req: HttpRequest): { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string | Readable; dispatcher: Dispatcher } {
    const headers: Record<string, string> = { 'user-agent': this.opts.userAgent, accept: 'application/json', ...req.headers };
    if (req.bearer !== undefined) headers.authorization = `Bearer ${req.bearer}`;
    let body: string | Readable | undefined = req.body;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] = 'application/json';
    }
    return { method: req.method, headers, body, dispatcher: this.opts.dispatcherFor(new URL(req.url)) };
  }

  private log(req: HttpRequest, started: number, outcome: { status?: number; code?: number; error?: string }): void {
    this.opts.logger?.({
      method: req.method,
      path: redactUrl(req.url),
      status: outcome.status,
      code: outcome.code,
      durationMs: Date.now() - started,
      taskId: req.taskId,
      error: outcome.error,
      attempt: req.attempt ?? 1,
    });
  }
}

async function readCapped(body: Dispatcher.ResponseData['body'], max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > max) {
      body.on('error', () => undefined);
      body.destroy();
      throw new KieError({ kind: 'badResponse', message: `The answer is larger than ${max} bytes; it is not a Kie API answer.` });
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

/** Maps a transport failure to a KieError, keeping the original as `cause` for requestNeverSent. */
export function transportError(e: unknown, req: Pick<HttpRequest, 'url' | 'signal' | 'taskId'>, timeoutMs: number, deadlineHit: boolean): KieError {
  if (e instanceof KieError) return e;
  const where = `${new URL(req.url).host}${redactUrl(req.url)}`;
  if (req.signal?.aborted) return cancelledError(e);
  const code = errorCode(e);
  if (deadlineHit || (code && TIMEOUT_CODES.has(code))) {
    return new KieError({ kind: 'timeout', message: `No answer from ${where} within ${timeoutMs} ms.`, taskId: req.taskId, cause: e });
  }
  const reason = e instanceof Error ? `${code ? `${code}: ` : ''}${e.message}` : String(e);
  return new KieError({ kind: 'network', message: `Could not reach ${where} (${reason}).`, taskId: req.taskId, cause: e });
}

/** Appends an absolute API path to a base URL that may itself carry a path prefix. */
export function joinUrl(base: string, path: string, query?: Record<string, string>): string {
  const u = new URL(base.replace(/\/+$/, '') + path);
  for (const [k, v] of Object.entries(query ?? {})) u.searchParams.set(k, v);
  return u.toString();
}

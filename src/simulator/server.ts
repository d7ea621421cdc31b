import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { promises as fs } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { CREATE_PATHS, handleApi, isDiscoveryPath, type ApiContext } from './api';
import { Callbacks, type SentCallback } from './callbacks';
import { applyMessageQuirk, DEFAULT_QUIRKS, imgbbError, kieError, messageFor, quirksFromHeader, uploadError, type Quirks } from './envelope';
import { bufferSource, expiredAnswer, fileSource, generatedSource, missingAnswer, ResultUrls, serveBytes, type ByteSource } from './files';
import { fixtureVideoPath } from './fixture';
import { bearerToken, BodyTooLargeError, flatHeaders, isRecord, readBody, writeAnswer, type Answer } from './http';
import { multipartBoundary, parseMultipart } from './multipart';
import { SlidingWindowLimiter } from './rateLimit';
import { TaskStore, type TaskScript } from './tasks';
import { handleImgbb, handleKieUpload, type StoredUpload, type UploadContext } from './uploads';

export type { SentCallback } from './callbacks';
export type { Quirks } from './envelope';
export type { SimTaskState, TaskScript } from './tasks';

export interface SimulatorOptions {
  /** Default 0 (random); the host is always 127.0.0.1. */
  port?: number;
  /** Default 'sim-test-key'; imgbb uses the same key unless imgbbKey is given. */
  apiKey?: string;
  imgbbKey?: string;
  /** How long a task takes end to end by default (default 3000). */
  defaultDurationMs?: number;
  /** Result URLs expire this long after the task succeeded (default 24 h); refresh via common/download-url. */
  resultUrlTtlMs?: number;
  /** MP4 served as every result; default: the committed fixture. */
  videoPath?: string;
  /** If set, serve a generated file of this size instead (benchmarks); it starts with the real video's bytes. */
  largeVideoBytes?: number;
  /** Starting credit balance (default 10000). */
  credits?: number;
  /** Lifetime of URLs from common/download-url (default 20 min). */
  refreshedUrlTtlMs?: number;
  /** How long after success Veo's 1080p video is ready (default: defaultDurationMs). */
  hdDelayMs?: number;
  /** Queries per second per key on /api/v1 reads and imgbb (default null: unlimited). */
  rateLimitPerSecond?: number | null;
  /** Task creations per 10 s per account (default null: unlimited; Kie's is 20). */
  createTasksPer10s?: number | null;
  /** Models to treat as unknown (422 "not supported" on create, gone from discovery), as for a retired model. */
  unpublishedModels?: string[];
  /**
   * Serve the sora-2-* models as Kie did before June 2026 (default false: every sora-* create answers
   * 500 "This interface is temporarily paused"). For tests of old history.
   */
  soraEnabled?: boolean;
  /** Discovery requests per second per key, shared by the four endpoints (default 1, Kie's; null: unlimited). */
  discoveryPerSecond?: number | null;
  /**
   * Unscripted tasks take their model's typical run time on Kie times this factor (e.g. 0.1); default
   * undefined: every task takes defaultDurationMs.
   */
  runTimeScale?: number;
  quirks?: Quirks;
  /** Answer Cloudflare's HTTP 403 `error code: 1010` to requests without a descriptive User-Agent. */
  requireUserAgent?: boolean;
  /** Time source for task timelines, URL lifetimes and rate limits (default Date.now). */
  now?: () => number;
  /** Keep only the newest this many requests in `requests` (default: all), for long CLI sessions. */
  logLimit?: number;
  /** Called once per request when its answer is sent or its connection closed. */
  onRequest?: (entry: RecordedRequest) => void;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** Query parameters; `key` is redacted. */
  query: Record<string, string>;
  /** Header values; `authorization` is redacted. */
  headers: Record<string, string | undefined>;
  /** Parsed JSON, or a summary for multipart bodies (file bytes and base64 payloads are not kept). */
  body?: unknown;
  at: number;
  /** Arrived through a proxy: absolute-form target, or a `Via`/`X-Forwarded-For` header. */
  viaProxy: boolean;
  /** Whether the request's key (Bearer, or imgbb's `key=`) matched. */
  auth: 'valid' | 'invalid' | 'missing';
  /** HTTP status answered; undefined when the connection was dropped or is still open. */
  status?: number;
}

export type ForcedError =
  | { kind: 'code'; code: 400 | 401 | 402 | 404 | 408 | 422 | 429 | 433 | 451 | 455 | 500 | 501 | 505; msg?: string; httpStatus?: number; useMessageField?: boolean; retryAfterSec?: number }
  | { kind: 'drop' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'truncate'; afterBytes: number }
  | { kind: 'malformed'; body: string; httpStatus?: number };

export interface Simulator {
  /** jobs/veo/credits base, e.g. http://127.0.0.1:PORT */
  readonly url: string;
  /** Kie file-upload base: `${url}/upload-host` */
  readonly uploadUrl: string;
  /** imgbb base: `${url}/imgbb` */
  readonly imgbbUrl: string;
  readonly apiKey: string;
  readonly imgbbKey: string;
  readonly requests: RecordedRequest[];
  readonly credits: number;
  /** Callbacks POSTed to a task's `callBackUrl` when it ended. */
  readonly callbacks: SentCallback[];
  count(pathSuffix: string): number;
  scriptNextTasks(script: TaskScript, n?: number): void;
  failNext(pathSuffix: string, error: ForcedError, times?: number): void;
  setCredits(n: number): void;
  expireResultUrls(): void;
  /** Per-key query limit; also turns Kie's 20 creations per 10 s on (null turns both off). */
  setRateLimit(perSecond: number | null): void;
  setCreateLimit(per10s: number | null): void;
  setQuirks(quirks: Quirks): void;
  setUnpublishedModels(models: string[]): void;
  setSoraEnabled(on: boolean): void;
  /** Reports `percent` as the model's success rate for the last hour (null: back to its profile). */
  setSuccessRate(model: string, percent: number | null): void;
  setDiscoveryLimit(perSecond: number | null): void;
  setDefaultDuration(ms: number): void;
  task(taskId: string): { state: string; resultUrls: string[]; family: 'jobs' | 'veo'; model: string } | undefined;
  /** An uploaded file (Kie upload host or imgbb) by its public URL. */
  uploaded(url: string): { data: Buffer; mimeType: string } | undefined;
  reset(): void;
  close(): Promise<void>;
}

const UPLOAD_PREFIX = '/upload-host';
const IMGBB_PREFIX = '/imgbb';
const DAY_MS = 24 * 60 * 60 * 1000;
const KIE_CREATE_LIMIT_PER_10S = 20;

interface Forced {
  suffix: string;
  error: ForcedError;
  remaining: number;
}

class SimulatorServer implements Simulator {
  readonly url: string;
  readonly uploadUrl: string;
  readonly imgbbUrl: string;
  readonly apiKey: string;
  readonly imgbbKey: string;
  private readonly log: RecordedRequest[] = [];
  private readonly now: () => number;
  private readonly urls: ResultUrls;
  private readonly tasks: TaskStore;
  private readonly callbackSender: Callbacks;
  private readonly uploads = new Map<string, StoredUpload>();
  private readonly queryLimiter: SlidingWindowLimiter;
  private readonly createLimiter: SlidingWindowLimiter;
  private readonly discoveryLimiter: SlidingWindowLimiter;
  private soraEnabled: boolean;
  private readonly successOverrides = new Map<string, number>();
  private readonly pendingDelays = new Set<NodeJS.Timeout>();
  private forced: Forced[] = [];
  private closing: Promise<void> | undefined;
  private quirks: Required<Quirks>;
  private unpublished: Set<string>;
  private readonly wallet: { balance: number };

  constructor(
    private readonly server: Server,
    port: number,
    private readonly opts: SimulatorOptions,
    private readonly video: ByteSource,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.uploadUrl = `${this.url}${UPLOAD_PREFIX}`;
    this.imgbbUrl = `${this.url}${IMGBB_PREFIX}`;
    this.apiKey = opts.apiKey ?? 'sim-test-key';
    this.imgbbKey = opts.imgbbKey ?? this.apiKey;
    this.now = opts.now ?? Date.now;
    this.urls = new ResultUrls(this.url);
    this.tasks = new TaskStore(
      { now: this.now, urls: this.urls, resultUrlTtlMs: () => opts.resultUrlTtlMs ?? DAY_MS },
      opts.defaultDurationMs ?? 3000,
    );
    this.callbackSender = new Callbacks(this.tasks, () => this.quirks);
    this.queryLimiter = new SlidingWindowLimiter(opts.rateLimitPerSecond ?? null, 1000);
    this.createLimiter = new SlidingWindowLimiter(opts.createTasksPer10s ?? null, 10_000);
    this.discoveryLimiter = new SlidingWindowLimiter(discoveryLimit(opts), 1000);
    this.soraEnabled = opts.soraEnabled ?? false;
    this.quirks = { ...DEFAULT_QUIRKS, ...opts.quirks };
    this.unpublished = new Set(opts.unpublishedModels);
    this.wallet = { balance: opts.credits ?? 10_000 };
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) writeAnswer(res, kieError(500, `simulator error: ${String(err)}`, 500));
        else res.destroy();
      });
    });
  }

  get requests(): RecordedRequest[] {
    return this.log;
  }

  get callbacks(): SentCallback[] {
    return this.callbackSender.sent;
  }

  get credits(): number {
    return this.wallet.balance;
  }

  count(pathSuffix: string): number {
    return this.log.filter((r) => r.path.endsWith(pathSuffix)).length;
  }

  scriptNextTasks(script: TaskScript, n = 1): void {
    this.tasks.scriptNext(script, n);
  }

  failNext(pathSuffix: string, error: ForcedError, times = 1): void {
    this.forced.push({ suffix: pathSuffix, error, remaining: times });
  }

  setCredits(n: number): void {
    this.wallet.balance = n;
  }

  expireResultUrls(): void {
    this.urls.expireAll();
  }

  setRateLimit(perSecond: number | null): void {
    this.queryLimiter.limit = perSecond;
    this.createLimiter.limit = perSecond === null ? null : KIE_CREATE_LIMIT_PER_10S;
  }

  setCreateLimit(per10s: number | null): void {
    this.createLimiter.limit = per10s;
  }

  setQuirks(quirks: Quirks): void {
    this.quirks = { ...this.quirks, ...quirks };
  }

  setUnpublishedModels(models: string[]): void {
    this.unpublished = new Set(models);
  }

  setSoraEnabled(on: boolean): void {
    this.soraEnabled = on;
  }

  setSuccessRate(model: string, percent: number | null): void {
    if (percent === null) this.successOverrides.delete(model);
    else this.successOverrides.set(model, percent);
  }

  setDiscoveryLimit(perSecond: number | null): void {
    this.discoveryLimiter.limit = perSecond;
  }

  setDefaultDuration(ms: number): void {
    this.tasks.defaultDurationMs = ms;
  }

  task(taskId: string): { state: string; resultUrls: string[]; family: 'jobs' | 'veo'; model: string } | undefined {
    const t = this.tasks.get(taskId);
    if (!t) return undefined;
    const phase = this.tasks.phase(t, this.now());
    return { state: phase.state, resultUrls: phase.state === 'success' ? [...t.resultUrls] : [], family: t.family, model: t.model };
  }

  uploaded(url: string): { data: Buffer; mimeType: string } | undefined {
    if (!url.startsWith(this.url)) return undefined;
    const stored = this.uploads.get(new URL(url).pathname);
    return stored && { ...stored };
  }

  reset(): void {
    this.log.length = 0;
    this.tasks.clear();
    this.callbackSender.clear();
    this.tasks.defaultDurationMs = this.opts.defaultDurationMs ?? 3000;
    this.urls.clear();
    this.uploads.clear();
    this.forced = [];
    this.quirks = { ...DEFAULT_QUIRKS, ...this.opts.quirks };
    this.unpublished = new Set(this.opts.unpublishedModels);
    this.wallet.balance = this.opts.credits ?? 10_000;
    this.queryLimiter.limit = this.opts.rateLimitPerSecond ?? null;
    this.createLimiter.limit = this.opts.createTasksPer10s ?? null;
    this.queryLimiter.clear();
    this.createLimiter.clear();
    this.discoveryLimiter.limit = discoveryLimit(this.opts);
    this.discoveryLimiter.clear();
    this.soraEnabled = this.opts.soraEnabled ?? false;
    this.successOverrides.clear();
  }

  /** Idempotent: closing twice answers the first close's promise. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve, reject) => {
      for (const t of this.pendingDelays) clearTimeout(t);
      this.pendingDelays.clear();
      this.callbackSender.clear();
      this.server.close((err) => (err ? reject(err) : resolve()));
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  private takeForced(path: string): ForcedError | undefined {
    const hit = this.forced.find((f) => path.endsWith(f.suffix));
    if (!hit) return undefined;
    hit.remaining -= 1;
    if (hit.remaining <= 0) this.forced = this.forced.filter((f) => f !== hit);
    return hit.error;
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.pendingDelays.delete(t);
        resolve();
      }, ms);
      this.pendingDelays.add(t);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    const parsed = new URL(target, this.url);
    const path = parsed.pathname;
    const query = Object.fromEntries(parsed.searchParams);
    const headers = flatHeaders(req);
    const isImgbb = path.startsWith(`${IMGBB_PREFIX}/`);
    const presented = isImgbb ? query.key : bearerToken(headers.authorization);
    const expected = isImgbb ? this.imgbbKey : this.apiKey;
    const auth: RecordedRequest['auth'] = presented === undefined ? 'missing' : presented === expected ? 'valid' : 'invalid';
    const entry: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      query: redactQuery(query),
      headers: redactHeaders(headers),
      at: this.now(),
      viaProxy: /^[a-z][a-z0-9+.-]*:\/\//i.test(target) || headers.via !== undefined || headers['x-forwarded-for'] !== undefined,
      auth,
    };
    this.log.push(entry);
    if (this.opts.logLimit !== undefined && this.log.length > this.opts.logLimit) this.log.splice(0, this.log.length - this.opts.logLimit);
    res.on('finish', () => {
      entry.status = res.statusCode;
    });
    res.on('close', () => this.opts.onRequest?.(entry));

    const forced = this.takeForced(path);
    if (forced?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (forced?.kind === 'slow') {
      await this.delay(forced.delayMs);
      if (res.destroyed) return;
    }
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch (err) {
      if (err instanceof BodyTooLargeError) writeAnswer(res, kieError(413, undefined, 413, { Connection: 'close' }));
      else res.destroy();
      return;
    }
    const contentType = headers['content-type'];
    const body = parseJson(raw, contentType);
    entry.body = summarizeBody(raw, contentType, body);

    const quirks = quirksFromHeader(this.quirks, headers['x-sim-quirks']);
    const send = (answer: Answer): void => {
      const final = applyMessageQuirk(answer, quirks);
      if (forced?.kind === 'truncate') writeTruncated(res, final, forced.afterBytes);
      else writeAnswer(res, final);
    };
    const host: Host = isImgbb ? 'imgbb' : path.startsWith(`${UPLOAD_PREFIX}/`) ? 'upload' : path.startsWith('/files/') ? 'files' : 'api';

    if (forced?.kind === 'malformed') {
      const cloudflare = forced.body.startsWith('error code:');
      writeAnswer(res, {
        status: forced.httpStatus ?? (cloudflare ? 403 : 200),
        body: forced.body,
        rawContentType: cloudflare ? 'text/plain; charset=UTF-8' : 'application/json; charset=utf-8',
      });
      return;
    }
    if (forced?.kind === 'code') {
      const answer = forcedCodeAnswer(host, forced);
      writeAnswer(res, applyMessageQuirk(answer, forced.useMessageField ? { ...quirks, messageField: true } : quirks));
      return;
    }
    if (this.opts.requireUserAgent && isBareUserAgent(headers['user-agent'])) {
      writeAnswer(res, { status: 403, body: 'error code: 1010', rawContentType: 'text/plain; charset=UTF-8' });
      return;
    }
    const truncateAfter = forced?.kind === 'truncate' ? forced.afterBytes : undefined;
    const method = entry.method;
    await this.dispatch({ req, res, host, method, path, query, contentType, raw, body, quirks, auth, presented, send, truncateAfter });
  }

  /** Routes a request that no forced error took over to the host it addresses. */
  private async dispatch(r: Dispatch): Promise<void> {
    const { req, res, host, method, path, query, contentType, raw, body, quirks, auth, presented, send, truncateAfter } = r;
    if (host === 'files') {
      const token = /^\/files\/([0-9a-f]+)\.mp4$/.exec(path)?.[1];
      const status = token === undefined ? 'unknown' : this.urls.status(token, this.now());
      if (status !== 'valid' || (method !== 'GET' && method !== 'HEAD')) {
        writeAnswer(res, status === 'expired' ? expiredAnswer() : missingAnswer());
        return;
      }
      serveBytes(req, res, this.video, truncateAfter);
      return;
    }
    const stored = (method === 'GET' || method === 'HEAD') && host !== 'api' ? this.uploads.get(path) : undefined;
    if (stored) {
      serveBytes(req, res, bufferSource(stored.data, stored.mimeType), truncateAfter);
      return;
    }
    if ((method === 'GET' || method === 'HEAD') && (path.startsWith(`${UPLOAD_PREFIX}/files/`) || path.startsWith(`${IMGBB_PREFIX}/i/`))) {
      writeAnswer(res, missingAnswer());
      return;
    }
    const uploadCtx: UploadContext = {
      now: this.now,
      store: this.uploads,
      uploadUrl: this.uploadUrl,
      imgbbUrl: this.imgbbUrl,
      imgbbKey: this.imgbbKey,
    };
    const uploadReq = { method, query, contentType, raw, json: body };
    if (host === 'imgbb') {
      const wait = auth === 'valid' ? this.queryLimiter.take(`imgbb:${presented}`, this.now()) : undefined;
      if (wait !== undefined) send(imgbbError('Rate limit reached.', 429));
      else send(await handleImgbb(uploadCtx, { ...uploadReq, path: path.slice(IMGBB_PREFIX.length) }));
      return;
    }
    if (host === 'upload') {
      if (auth !== 'valid') send(uploadError(401, messageFor(401)));
      else send(await handleKieUpload(uploadCtx, { ...uploadReq, path: path.slice(UPLOAD_PREFIX.length) }));
      return;
    }
    if (!path.startsWith('/api/')) {
      send(kieError(404, 'Not found', 404));
      return;
    }
    // Kie answers a bad key with HTTP 200 and code 401 in the body.
    if (auth !== 'valid') {
      send(kieError(401));
      return;
    }
    if (isDiscoveryPath(path)) {
      // The four discovery endpoints share one budget; Kie drops what is over it, with 429 in the body.
      if (this.discoveryLimiter.take(`discovery:${presented}`, this.now()) !== undefined) send(kieError(429, undefined, 200));
      else send(handleApi(this.apiContext(), { method, path, query, body, quirks }));
      return;
    }
    const creating = CREATE_PATHS.includes(path) && method === 'POST';
    const wait = creating ? this.createLimiter.take('account', this.now()) : this.queryLimiter.take(`kie:${presented}`, this.now());
    if (wait !== undefined) {
      send(kieError(429, creating ? 'Too many tasks created, please try again later' : undefined, 429, { 'Retry-After': String(wait) }));
      return;
    }
    send(handleApi(this.apiContext(), { method, path, query, body, quirks }));
  }

  private apiContext(): ApiContext {
    return {
      now: this.now,
      tasks: this.tasks,
      urls: this.urls,
      credits: this.wallet,
      unpublishedModels: this.unpublished,
      soraEnabled: this.soraEnabled,
      successOverrides: this.successOverrides,
      runMs: (model) => (this.opts.runTimeScale === undefined ? undefined : Math.round(model.typicalRunSeconds * 1000 * this.opts.runTimeScale)),
      hdDelayMs: this.opts.hdDelayMs ?? this.tasks.defaultDurationMs,
      refreshedUrlTtlMs: this.opts.refreshedUrlTtlMs ?? 20 * 60 * 1000,
      onCreated: (task) => this.callbackSender.schedule(task),
    };
  }
}

type Host = 'api' | 'upload' | 'imgbb' | 'files';

interface Dispatch {
  req: IncomingMessage;
  res: ServerResponse;
  host: Host;
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  raw: Buffer;
  body: unknown;
  quirks: Required<Quirks>;
  auth: RecordedRequest['auth'];
  presented: string | undefined;
  send: (answer: Answer) => void;
  truncateAfter: number | undefined;
}

function discoveryLimit(opts: SimulatorOptions): number | null {
  return opts.discoveryPerSecond === undefined ? 1 : opts.discoveryPerSecond;
}

function forcedCodeAnswer(host: Host, e: Extract<ForcedError, { kind: 'code' }>): Answer {
  const retryAfter = e.retryAfterSec ?? (e.code === 429 ? 1 : undefined);
  const headers: Record<string, string> = retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) };
  let answer: Answer;
  if (host === 'imgbb') answer = imgbbError(e.msg ?? (e.code === 429 ? 'Rate limit reached.' : messageFor(e.code)), e.code, e.httpStatus ?? 400);
  else if (host === 'upload') answer = uploadError(e.code, e.msg, e.httpStatus ?? 200);
  else if (host === 'files') answer = { status: e.httpStatus ?? e.code, body: e.msg ?? messageFor(e.code), rawContentType: 'text/plain; charset=utf-8' };
  else answer = kieError(e.code, e.msg, e.httpStatus ?? (e.code === 429 ? 429 : 200));
  return { ...answer, headers: { ...answer.headers, ...headers } };
}

/** Sends the headers of a complete answer but only part of its body, then drops the connection. */
function writeTruncated(res: ServerResponse, answer: Answer, afterBytes: number): void {
  const text = Buffer.from(answer.rawContentType !== undefined ? String(answer.body) : JSON.stringify(answer.body));
  res.writeHead(answer.status, {
    'Content-Type': answer.rawContentType ?? 'application/json; charset=utf-8',
    'Content-Length': String(text.length),
    ...answer.headers,
  });
  res.write(text.subarray(0, Math.max(0, afterBytes)), () => res.socket?.destroy());
}

function isBareUserAgent(ua: string | undefined): boolean {
  return ua === undefined || ua.trim() === '' || /^(node|undici|node-fetch)(\/[\d.]+)?$/i.test(ua.trim());
}

function parseJson(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0 || multipartBoundary(contentType) !== undefined) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

const LONG_VALUE = 200;

function shorten(value: string): string {
  return value.length > LONG_VALUE ? `[${value.length} chars]` : value;
}

/** Keeps what tests assert on (fields, file names and sizes) and never file bytes or keys. */
function summarizeBody(raw: Buffer, contentType: string | undefined, body: unknown): unknown {
  if (raw.length === 0) return undefined;
  if (body !== undefined) {
    if (isRecord(body) && typeof body.base64Data === 'string') return { ...body, base64Data: shorten(body.base64Data) };
    return body;
  }
  const boundary = multipartBoundary(contentType);
  if (boundary !== undefined) {
    try {
      const parts = parseMultipart(raw, boundary);
      const fields: Record<string, string> = {};
      for (const p of parts.filter((x) => x.fileName === undefined)) fields[p.name] = p.name === 'key' ? '[redacted]' : shorten(p.data.toString('utf8'));
      const files = parts.filter((p) => p.fileName !== undefined).map((p) => ({ field: p.name, fileName: p.fileName, contentType: p.contentType, size: p.data.length }));
      return { fields, files };
    } catch {
      return { bytes: raw.length };
    }
  }
  if (/^application\/x-www-form-urlencoded/i.test(contentType ?? '')) {
    const fields: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) fields[k] = k === 'key' ? '[redacted]' : shorten(v);
    return { fields };
  }
  return { bytes: raw.length };
}

function redactQuery(query: Record<string, string>): Record<string, string> {
  return 'key' in query ? { ...query, key: '[redacted]' } : query;
}

function redactHeaders(headers: Record<string, string | undefined>): Record<string, string | undefined> {
  if (headers.authorization === undefined) return headers;
  const scheme = /^(\S+)\s/.exec(headers.authorization)?.[1] ?? '';
  return { ...headers, authorization: `${scheme ? `${scheme} ` : ''}[redacted]` };
}

async function videoSource(opts: SimulatorOptions): Promise<ByteSource> {
  const videoPath = opts.videoPath ?? fixtureVideoPath();
  if (opts.largeVideoBytes === undefined) return fileSource(videoPath);
  return generatedSource(opts.largeVideoBytes, await fs.readFile(videoPath));
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const video = await videoSource(opts);
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return new SimulatorServer(server, (server.address() as AddressInfo).port, opts, video);
}

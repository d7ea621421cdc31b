import type { ModelRequest } from '../models/requestBuilder';
import { CREDIT_PATH, DOWNLOAD_URL_PATH, parseCredits, parseDownloadUrl } from './commonApi';
import { DEFAULT_MAX_DOWNLOAD_BYTES, downloadFile, type DownloadOptions } from '../media/download';
import { MODELS_PATH, VIDEO_TASK_TYPES, modelPath, parseModelList, parseModelSchema, parsePrice, parseSuccessRate, type ListedModel, type SuccessRatePoint } from './discoveryApi';
import { decodeEnvelope, type AnswerContext } from './envelope';
import { KieError } from './errors';
import { HttpClient, joinUrl, requestNeverSent, type HttpRequest } from './http';
import { JOBS_CREATE_PATH, JOBS_RECORD_PATH, buildJobsCreateBody, parseJobsRecord } from './jobsApi';
import { Dispatchers } from './proxy';
import { DEFAULT_RETRY, isTransient, sleep as realSleep, withRetry, type RetryPolicy, type Sleep } from './retry';
import type { ApiFamily, RequestLogger, TaskSnapshot } from '../types';
import { uploadToImgbb } from './upload/imgbbUpload';
import { uploadToKie } from './upload/kieUpload';
import { checkImageFile } from '../media/imageCheck';
import { VEO_CREATE_PATH, VEO_RECORD_PATH, buildVeoCreateBody, parseVeoRecord } from './veoApi';

export const CLIENT_VERSION = '0.2.0';
export const DEFAULT_USER_AGENT = `sora-video-vscode/${CLIENT_VERSION} (Node ${process.versions.node}; ${process.platform})`;

export interface KieClientOptions {
  apiBaseUrl: string;
  uploadBaseUrl: string;
  imgbbBaseUrl: string;
  apiKey: string;
  imgbbKey?: string;
  imageHost?: 'kie' | 'imgbb';
  /** Explicit proxy URL (from VS Code's http.proxy); else HTTPS_PROXY/HTTP_PROXY/NO_PROXY. */
  proxy?: string;
  userAgent?: string;
  logger?: RequestLogger;
  retry?: {
    maxAttempts?: number;
    baseDelayMs?: number;
    maxDelayMs?: number;
    /** A Retry-After longer than this is surfaced as an error instead of waited out. */
    maxRetryAfterMs?: number;
    /** Replaces the real wait (tests record the delays instead of sleeping). */
    sleep?: Sleep;
  };
  requestTimeoutMs?: number;
  /** Environment to read proxy variables from; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Largest result download accepted (default DEFAULT_MAX_DOWNLOAD_BYTES). */
  maxDownloadBytes?: number;
}

/** Discovery calls retry transient failures, but a 429 goes back to the caller's budget, not a tight loop. */
function isTransientButNotLimited(e: unknown): boolean {
  return isTransient(e) && !(e instanceof KieError && e.kind === 'rateLimited');
}

/**
 * The facade the rest of the extension talks to. Idempotent calls retry transient failures with
 * backoff; createTask is only ever resent when the request certainly never left this machine,
 * because a duplicate task costs the user credits.
 */
export class KieClient {
  private readonly http: HttpClient;
  private readonly dispatchers: Dispatchers;
  private readonly policy: RetryPolicy;
  private readonly sleep: Sleep;
  /** Trimmed: a key pasted with a trailing newline would otherwise make every request fail. */
  private readonly apiKey: string;

  constructor(private readonly opts: KieClientOptions) {
    this.apiKey = opts.apiKey?.trim() ?? '';
    if (this.apiKey === '') {
      throw new KieError({ kind: 'unauthorized', message: 'No Kie API key is set.' });
    }
    this.dispatchers = new Dispatchers({ proxy: opts.proxy, env: opts.env });
    this.http = new HttpClient({
      userAgent: opts.userAgent ?? DEFAULT_USER_AGENT,
      dispatcherFor: (u) => this.dispatchers.for(u),
      logger: opts.logger,
      timeoutMs: opts.requestTimeoutMs,
    });
    this.policy = {
      maxAttempts: opts.retry?.maxAttempts ?? DEFAULT_RETRY.maxAttempts,
      baseDelayMs: opts.retry?.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
      maxDelayMs: opts.retry?.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
      maxRetryAfterMs: opts.retry?.maxRetryAfterMs ?? DEFAULT_RETRY.maxRetryAfterMs,
    };
    this.sleep = opts.retry?.sleep ?? realSleep;
  }

  /** Sends a request built by the model layer (models/requestBuilder.ts) to its API family. */
  async createTask(family: ApiFamily, req: ModelRequest, signal?: AbortSignal): Promise<string> {
    const [path, body] = family === 'veo' ? [VEO_CREATE_PATH, buildVeoCreateBody(req)] : [JOBS_CREATE_PATH, buildJobsCreateBody(req)];
    const data = await this.call(
      { method: 'POST', url: joinUrl(this.opts.apiBaseUrl, path), json: body, signal },
      { model: req.model },
      // A 429 is a refusal: Kie documents that a creation over its rate limit is not queued, so it is
      // safe to send again once Retry-After has passed; nothing else that may have reached Kie is.
      (e) => requestNeverSent(e) || (e instanceof KieError && e.kind === 'rateLimited'),
    );
    const taskId = typeof data === 'object' && data !== null ? (data as { taskId?: unknown }).taskId : undefined;
    if (typeof taskId === 'string' && taskId.trim() !== '') return taskId.trim();
    if (typeof taskId === 'number') return String(taskId);
    throw new KieError({
      kind: 'badResponse',
      message: 'Kie accepted the task but its answer carries no taskId; check the Kie dashboard before trying again, the task may exist.',
    });
  }

  async getTask(family: ApiFamily, taskId: string, signal?: AbortSignal): Promise<TaskSnapshot> {
    const path = family === 'veo' ? VEO_RECORD_PATH : JOBS_RECORD_PATH;
    const data = await this.call(
      { method: 'GET', url: joinUrl(this.opts.apiBaseUrl, path, { taskId }), signal, taskId },
      { taskId },
      isTransient,
    );
    return family === 'veo' ? parseVeoRecord(data, taskId) : parseJobsRecord(data, taskId);
  }

  /** Kie's video models (discovery API); callers keep to its shared budget of one request a second. */
  async listModels(signal?: AbortSignal): Promise<ListedModel[]> {
    const url = joinUrl(this.opts.apiBaseUrl, MODELS_PATH, { taskType: VIDEO_TASK_TYPES.join(',') });
    return parseModelList(await this.call({ method: 'GET', url, signal }, {}, isTransientButNotLimited));
  }

  async modelSchema(model: string, signal?: AbortSignal): Promise<Record<string, unknown> | undefined> {
    return parseModelSchema(await this.call({ method: 'GET', url: joinUrl(this.opts.apiBaseUrl, modelPath(model, 'schema')), signal }, { model }, isTransientButNotLimited));
  }

  async modelPrice(model: string, signal?: AbortSignal): Promise<string | undefined> {
    return parsePrice(await this.call({ method: 'GET', url: joinUrl(this.opts.apiBaseUrl, modelPath(model, 'price')), signal }, { model }, isTransientButNotLimited));
  }

  async modelSuccessRate(model: string, signal?: AbortSignal): Promise<SuccessRatePoint[]> {
    return parseSuccessRate(await this.call({ method: 'GET', url: joinUrl(this.opts.apiBaseUrl, modelPath(model, 'success-rate')), signal }, { model }, isTransientButNotLimited));
  }

  async getCredits(signal?: AbortSignal): Promise<number> {
    return parseCredits(await this.call({ method: 'GET', url: joinUrl(this.opts.apiBaseUrl, CREDIT_PATH), signal }, {}, isTransient));
  }

  async refreshDownloadUrl(url: string, signal?: AbortSignal): Promise<string> {
    const data = await this.call({ method: 'POST', url: joinUrl(this.opts.apiBaseUrl, DOWNLOAD_URL_PATH), json: { url }, signal }, {}, isTransient);
    return parseDownloadUrl(data);
  }

  /** Checks the image, then streams it to the configured host; returns the public URL Kie will fetch. */
  async uploadImage(filePath: string, signal?: AbortSignal): Promise<string> {
    const { mime, bytes } = await checkImageFile(filePath);
    const host = this.opts.imageHost ?? 'kie';
    const imgbbKey = this.opts.imgbbKey?.trim() ?? '';
    if (host === 'imgbb' && imgbbKey === '') {
      throw new KieError({ kind: 'unauthorized', field: 'imgbbKey', message: 'The image host is imgbb but no imgbb API key is set.' });
    }
    return withRetry(
      (attempt) =>
        host === 'imgbb'
          ? uploadToImgbb(this.http, this.opts.imgbbBaseUrl, imgbbKey, { filePath, bytes, mime, signal, attempt })
          : uploadToKie(this.http, this.opts.uploadBaseUrl, this.apiKey, { filePath, bytes, mime, signal, attempt }),
      { policy: this.policy, shouldRetry: isTransient, signal, sleep: this.sleep },
    );
  }

  /** Streams a result to `targetPath` (via `${targetPath}.part`); see downloadFile for retries and refresh. */
  download(url: string, targetPath: string, opts: DownloadOptions = {}): Promise<{ path: string; bytes: number }> {
    return downloadFile(
      {
        http: this.http,
        allowedOrigins: [new URL(this.opts.apiBaseUrl).origin],
        refresh: (u, s) => this.refreshDownloadUrl(u, s),
        policy: this.policy,
        sleep: this.sleep,
      },
      url,
      targetPath,
      { ...opts, maxBytes: opts.maxBytes ?? this.opts.maxDownloadBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES },
    );
  }

  async close(): Promise<void> {
    await this.dispatchers.close();
  }

  /** One Kie API call: request, envelope decoding and the retry rule the caller chose. */
  private call(req: HttpRequest, ctx: AnswerContext, shouldRetry: (e: unknown) => boolean): Promise<unknown> {
    return withRetry(
      async (attempt) => decodeEnvelope(await this.http.send({ ...req, bearer: this.apiKey, attempt }), ctx),
      { policy: this.policy, shouldRetry, signal: req.signal, sleep: this.sleep },
    );
  }
}

import { estimateCredits, findModelByApiName, type ModelSpec } from '../core/models/catalog';
import type { ApiFamily } from '../core/types';
import { kie, kieError, kieOk, type Quirks } from './envelope';
import type { ResultUrls } from './files';
import { isRecord, type Answer } from './http';
import { jobsRecord, veoRecord, type SimTask, type TaskStore } from './tasks';

/** What the api.kie.ai routes read and change. */
export interface ApiContext {
  now(): number;
  tasks: TaskStore;
  urls: ResultUrls;
  credits: { balance: number };
  /** Models answered with 422 "not published" although the catalog knows them (retirement drills). */
  unpublishedModels: ReadonlySet<string>;
  /** How long after success Veo's 1080p version becomes available. */
  hdDelayMs: number;
  /** Lifetime of a URL from `common/download-url`. */
  refreshedUrlTtlMs: number;
  onCreated(task: SimTask): void;
}

export interface ApiRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body; undefined when there was none or it was not JSON. */
  body: unknown;
  quirks: Required<Quirks>;
}

type Handler = (ctx: ApiContext, req: ApiRequest) => Answer;

const NOT_PUBLISHED = 'The page does not exist or is not published';
const RECORD_NULL = 'recordInfo is null';
const HD_PROCESSING = '1080P is processing. It should be ready in 1-2 minutes. Please check back shortly.';
const VEO_RATIOS = ['16:9', '9:16', 'Auto'];
const VEO_GENERATION_TYPES = ['TEXT_2_VIDEO', 'FIRST_AND_LAST_FRAMES_2_VIDEO', 'REFERENCE_2_VIDEO'];
const FALLBACK_COST = 30;

/** Paths whose POSTs create tasks: they count against the per-account creation limit. */
export const CREATE_PATHS: readonly string[] = ['/api/v1/jobs/createTask', '/api/v1/veo/generate'];

const ROUTES: Record<string, { method: 'GET' | 'POST'; handler: Handler }> = {
  '/api/v1/jobs/createTask': { method: 'POST', handler: createJobsTask },
  '/api/v1/jobs/recordInfo': { method: 'GET', handler: (ctx, req) => record(ctx, req, 'jobs') },
  '/api/v1/veo/generate': { method: 'POST', handler: createVeoTask },
  '/api/v1/veo/record-info': { method: 'GET', handler: (ctx, req) => record(ctx, req, 'veo') },
  '/api/v1/veo/get-1080p-video': { method: 'GET', handler: hdVideo },
  '/api/v1/chat/credit': { method: 'GET', handler: (ctx) => kieOk(ctx.credits.balance) },
  '/api/v1/common/download-url': { method: 'POST', handler: refreshUrl },
};

export function handleApi(ctx: ApiContext, req: ApiRequest): Answer {
  const route = ROUTES[req.path];
  if (!route) return kieError(404, 'Not found', 404);
  if (route.method !== req.method) return kieError(405, undefined, 405, { Allow: route.method });
  return route.handler(ctx, req);
}

function publishedModel(ctx: ApiContext, model: string, family: ApiFamily): ModelSpec | undefined {
  const spec = findModelByApiName(model);
  return spec && spec.family === family && !ctx.unpublishedModels.has(model) ? spec : undefined;
}

function spend(ctx: ApiContext, cost: number): Answer | undefined {
  if (ctx.credits.balance < cost) return kieError(402);
  ctx.credits.balance -= cost;
  return undefined;
}

function isUrlList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((u) => typeof u === 'string' && /^https?:\/\//.test(u));
}

function createJobsTask(ctx: ApiContext, req: ApiRequest): Answer {
  const body = req.body;
  if (!isRecord(body)) return kieError(400, 'Request body must be a JSON object');
  if (typeof body.model !== 'string' || body.model === '') return kieError(422, 'model is required');
  const spec = publishedModel(ctx, body.model, 'jobs');
  if (!spec) return kieError(422, NOT_PUBLISHED);
  const input = body.input;
  // Kie reports these missing-field errors as 500, not 422.
  if (!isRecord(input) || input.prompt === undefined || input.prompt === null || input.prompt === '') {
    return kieError(500, 'This field is required');
  }
  if (typeof input.prompt !== 'string') return kieError(422, 'prompt must be a string');
  if (input.prompt.length > spec.maxPromptLength) {
    return kieError(422, `prompt must be at most ${spec.maxPromptLength} characters`);
  }
  if (input.aspect_ratio !== undefined && !spec.aspectRatios.some((a) => a === input.aspect_ratio)) {
    return kieError(422, `aspect_ratio must be one of: ${spec.aspectRatios.join(', ')}`);
  }
  if (input.n_frames !== undefined && (typeof input.n_frames !== 'string' || !spec.durations.includes(input.n_frames))) {
    return kieError(422, `n_frames must be one of the strings: ${spec.durations.map((d) => `"${d}"`).join(', ')}`);
  }
  if (spec.sizes && input.size !== undefined && !spec.sizes.some((s) => s === input.size)) {
    return kieError(422, `size must be one of: ${spec.sizes.join(', ')}`);
  }
  if (input.remove_watermark !== undefined && typeof input.remove_watermark !== 'boolean') {
    return kieError(422, 'remove_watermark must be a boolean');
  }
  const images = input.image_urls;
  if (spec.image === 'required' && !(isUrlList(images) && images.length === 1)) {
    return kieError(422, 'image_urls must contain exactly 1 image URL');
  }
  if (spec.image === 'none' && Array.isArray(images) && images.length > 0) {
    return kieError(422, 'image_urls is not supported by this model');
  }
  const duration = typeof input.n_frames === 'string' ? input.n_frames : undefined;
  const size = input.size === 'standard' || input.size === 'high' ? input.size : spec.sizes?.[0];
  const refused = spend(ctx, estimateCredits(spec, duration, size) ?? FALLBACK_COST);
  if (refused) return refused;
  const task = ctx.tasks.create('jobs', spec.apiModel, body);
  ctx.onCreated(task);
  return kieOk({ taskId: task.id });
}

function createVeoTask(ctx: ApiContext, req: ApiRequest): Answer {
  const body = req.body;
  if (!isRecord(body)) return kieError(400, 'Request body must be a JSON object');
  if (typeof body.prompt !== 'string' || body.prompt.trim() === '') return kieError(422, 'prompt is required');
  const model = body.model ?? 'veo3_fast';
  const spec = typeof model === 'string' ? publishedModel(ctx, model, 'veo') : undefined;
  if (!spec) return kieError(422, NOT_PUBLISHED);
  if (body.prompt.length > spec.maxPromptLength) return kieError(422, `prompt must be at most ${spec.maxPromptLength} characters`);
  // Older documentation spells the ratio `aspectRatio`.
  const aspect = body.aspect_ratio ?? body.aspectRatio ?? '16:9';
  if (typeof aspect !== 'string' || !VEO_RATIOS.includes(aspect)) {
    return kieError(422, `aspect_ratio must be one of: ${VEO_RATIOS.join(', ')}`);
  }
  const images = body.imageUrls ?? [];
  if (!isUrlList(images)) return kieError(422, 'imageUrls must be an array of URLs');
  const type = body.generationType;
  if (type !== undefined && (typeof type !== 'string' || !VEO_GENERATION_TYPES.includes(type))) {
    return kieError(422, `generationType must be one of: ${VEO_GENERATION_TYPES.join(', ')}`);
  }
  const maxImages = type === 'REFERENCE_2_VIDEO' ? 3 : type === 'TEXT_2_VIDEO' ? 0 : 2;
  if (images.length > maxImages) return kieError(422, `at most ${maxImages} imageUrls for this generationType`);
  if ((type === 'FIRST_AND_LAST_FRAMES_2_VIDEO' || type === 'REFERENCE_2_VIDEO') && images.length === 0) {
    return kieError(422, 'imageUrls is required for this generationType');
  }
  if (type === 'REFERENCE_2_VIDEO' && spec.apiModel !== 'veo3_fast') {
    return kieError(422, 'REFERENCE_2_VIDEO is only available with veo3_fast');
  }
  if (body.seeds !== undefined && !(Number.isInteger(body.seeds) && Number(body.seeds) >= 10000 && Number(body.seeds) <= 99999)) {
    return kieError(422, 'seeds must be an integer between 10000 and 99999');
  }
  if (body.enableTranslation !== undefined && typeof body.enableTranslation !== 'boolean') {
    return kieError(422, 'enableTranslation must be a boolean');
  }
  const refused = spend(ctx, estimateCredits(spec) ?? FALLBACK_COST);
  if (refused) return refused;
  const task = ctx.tasks.create('veo', spec.apiModel, body, aspect);
  ctx.onCreated(task);
  return kieOk({ taskId: task.id });
}

function record(ctx: ApiContext, req: ApiRequest, family: ApiFamily): Answer {
  const taskId = req.query.taskId;
  if (!taskId) return kieError(400, 'taskId is required');
  const task = ctx.tasks.get(taskId);
  if (!task || task.family !== family) return kie(422, RECORD_NULL, null);
  const phase = ctx.tasks.phase(task, ctx.now());
  return kieOk(family === 'jobs' ? jobsRecord(task, phase, req.quirks) : veoRecord(task, phase, req.quirks));
}

function hdVideo(ctx: ApiContext, req: ApiRequest): Answer {
  const taskId = req.query.taskId;
  if (!taskId) return kieError(400, 'taskId is required');
  const task = ctx.tasks.get(taskId);
  if (!task || task.family !== 'veo') return kie(422, RECORD_NULL, null);
  if ((req.query.index ?? '0') !== '0') return kieError(400, 'index out of range');
  const now = ctx.now();
  const phase = ctx.tasks.phase(task, now);
  if (phase.state === 'fail') return kieError(400, 'The task failed; there is no 1080P video');
  if (phase.state !== 'success' || now < phase.since + ctx.hdDelayMs) return kieError(400, HD_PROCESSING);
  return kieOk({ resultUrl: ctx.tasks.issueHd(task, now) });
}

function refreshUrl(ctx: ApiContext, req: ApiRequest): Answer {
  const url = isRecord(req.body) ? req.body.url : undefined;
  if (typeof url !== 'string' || url === '') return kieError(400, 'url is required');
  const fresh = ctx.urls.refresh(url, ctx.now(), ctx.refreshedUrlTtlMs);
  return fresh === undefined ? kieError(422, 'The URL is not a file generated by kie.ai') : kieOk(fresh);
}

import { DISCOVERY_PREFIX, handleDiscovery, type DiscoveryContext } from './discovery';
import { kie, kieError, kieOk, type Quirks } from './envelope';
import type { ResultUrls } from './files';
import { isRecord, type Answer } from './http';
import { creditsFor } from './models/credits';
import { findSimModel, isSoraId, type SimModel } from './models/table';
import { refusalFor } from './models/validation';
import { jobsRecord, veoRecord, type SimTask, type TaskStore } from './tasks';

type ApiFamily = 'jobs' | 'veo';

/** What the api.kie.ai routes read and change. */
export interface ApiContext extends DiscoveryContext {
  tasks: TaskStore;
  urls: ResultUrls;
  credits: { balance: number };
  /** How long after success Veo's 1080p version becomes available. */
  hdDelayMs: number;
  /** Lifetime of a URL from `common/download-url`. */
  refreshedUrlTtlMs: number;
  /** Length of a run of this model when no script says otherwise; undefined: the store's default. */
  runMs(model: SimModel): number | undefined;
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

export const MODEL_UNSUPPORTED = 'The model name you specified is not supported. Please verify your input and use one of the supported models provided by KIE.';
export const MODEL_PAUSED = 'This interface is temporarily paused';
const RECORD_NULL = 'recordInfo is null';
const HD_PROCESSING = '1080P is processing. It should be ready in 1-2 minutes. Please check back shortly.';

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

export function isDiscoveryPath(path: string): boolean {
  return path === DISCOVERY_PREFIX || path.startsWith(`${DISCOVERY_PREFIX}/`);
}

export function handleApi(ctx: ApiContext, req: ApiRequest): Answer {
  if (isDiscoveryPath(req.path)) {
    if (req.method !== 'GET') return kieError(405, undefined, 405, { Allow: 'GET' });
    return handleDiscovery(ctx, req.path, req.query);
  }
  const route = ROUTES[req.path];
  if (!route) return kieError(404, 'Not found', 404);
  if (route.method !== req.method) return kieError(405, undefined, 405, { Allow: route.method });
  return route.handler(ctx, req);
}

function servedModel(ctx: ApiContext, model: unknown, family: ApiFamily): SimModel | undefined {
  const spec = findSimModel(model, family);
  return spec && !ctx.unpublishedModels.has(spec.id) && (!spec.retired || ctx.soraEnabled) ? spec : undefined;
}

/** Validates, prices, charges and creates: the part both create endpoints share. */
function create(ctx: ApiContext, spec: SimModel, body: Record<string, unknown>, input: Record<string, unknown>, veo?: { aspect: string }): Answer {
  const refusal = refusalFor(spec, body);
  if (refusal) return kieError(refusal.code, refusal.msg);
  const cost = creditsFor(spec.credits, input);
  if (cost === undefined) return kieError(422, `${spec.credits.by.filter((f) => !f.startsWith('@')).join(' and ')}: this combination is not available`);
  if (ctx.credits.balance < cost) return kieError(402);
  ctx.credits.balance = Math.round((ctx.credits.balance - cost) * 100) / 100;
  const resolution = typeof input.resolution === 'string' ? input.resolution : undefined;
  const task = ctx.tasks.create(spec.family, spec.id, body, { credits: cost, runMs: ctx.runMs(spec), veoAspect: veo?.aspect, resolution });
  ctx.onCreated(task);
  return kieOk(spec.family === 'jobs' ? { taskId: task.id, recordId: task.recordId } : { taskId: task.id });
}

function createJobsTask(ctx: ApiContext, req: ApiRequest): Answer {
  const body = req.body;
  if (!isRecord(body)) return kieError(400, 'Request body must be a JSON object');
  if (typeof body.model !== 'string' || body.model === '') return kieError(500, 'model is required');
  // Every sora-* id answered "paused" from June 2026 on, even with credits (kie-api.md §3).
  if (isSoraId(body.model) && !ctx.soraEnabled) return kieError(500, MODEL_PAUSED);
  const spec = servedModel(ctx, body.model, 'jobs');
  if (!spec) return kieError(422, MODEL_UNSUPPORTED);
  return create(ctx, spec, body, isRecord(body.input) ? body.input : {});
}

function createVeoTask(ctx: ApiContext, req: ApiRequest): Answer {
  const body = req.body;
  if (!isRecord(body)) return kieError(400, 'Request body must be a JSON object');
  const spec = servedModel(ctx, body.model ?? 'veo3_fast', 'veo');
  if (!spec) return kieError(422, MODEL_UNSUPPORTED);
  // Older documentation spells the ratio `aspectRatio`.
  const aspect = body.aspect_ratio ?? body.aspectRatio ?? '16:9';
  return create(ctx, spec, body, body, { aspect: String(aspect) });
}

function record(ctx: ApiContext, req: ApiRequest, family: ApiFamily): Answer {
  const taskId = req.query.taskId;
  if (!taskId) return kieError(400, 'taskId is required');
  const task = ctx.tasks.get(taskId);
  if (!task || task.family !== family) return kie(422, RECORD_NULL, null);
  const now = ctx.now();
  if (task.recordError && now - task.createdAt >= task.recordError.afterMs) return kieError(task.recordError.code, task.recordError.msg);
  const phase = ctx.tasks.phase(task, now);
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

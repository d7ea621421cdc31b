import type { ModelSpec } from '../models/catalog';
import { isRecord } from './envelope';
import { KieError } from './errors';
import { jsonField, optionalNumber, optionalProgress, optionalString, optionalTime, urlList } from './taskParsing';
import type { GenerationRequest, RemoteStatus, TaskSnapshot } from '../types';

/** Kie's generic jobs API (Sora 2 and most models): the only file that knows its paths and fields. */
export const JOBS_CREATE_PATH = '/api/v1/jobs/createTask';
export const JOBS_RECORD_PATH = '/api/v1/jobs/recordInfo';

export interface JobsCreateBody {
  model: string;
  input: {
    prompt: string;
    aspect_ratio: string;
    n_frames: string;
    remove_watermark?: boolean;
    size?: string;
    image_urls?: string[];
  };
}

/**
 * Every input is sent explicitly, defaults included, because Kie was seen not applying its own
 * server-side defaults for some models.
 */
export function buildJobsCreateBody(req: GenerationRequest, model: ModelSpec): JobsCreateBody {
  const input: JobsCreateBody['input'] = {
    prompt: req.prompt,
    aspect_ratio: req.aspectRatio,
    n_frames: String(req.duration ?? model.durations[0]),
  };
  if (model.watermarkOption) input.remove_watermark = req.removeWatermark ?? true;
  if (model.sizes && model.sizes.length > 0) input.size = req.size ?? model.sizes[0];
  if (model.image !== 'none' && req.imageUrls && req.imageUrls.length > 0) input.image_urls = req.imageUrls.slice(0, 1);
  return { model: model.apiModel, input };
}

const STATES: Record<string, RemoteStatus> = {
  waiting: 'queued',
  queuing: 'queued',
  queued: 'queued',
  pending: 'queued',
  generating: 'generating',
  processing: 'generating',
  running: 'generating',
  success: 'success',
  succeeded: 'success',
  fail: 'failed',
  failed: 'failed',
};

/**
 * Normalises a recordInfo `data`. An unknown state keeps polling as `generating` (with Kie's word in
 * rawState) rather than failing a task that may still finish.
 */
export function parseJobsRecord(data: unknown, taskId: string): TaskSnapshot {
  if (!isRecord(data)) {
    throw new KieError({ kind: 'badResponse', message: `Kie's answer for task ${taskId} carries no task record.`, taskId });
  }
  const rawState = optionalString(data.state) ?? 'unknown';
  const status = STATES[rawState.toLowerCase()] ?? 'generating';
  const result = jsonField(data.resultJson);
  return {
    taskId: optionalString(data.taskId) ?? taskId,
    status,
    rawState,
    resultUrls: urlList(result?.resultUrls),
    watermarkUrls: urlList(result?.resultWaterMarkUrls),
    failCode: optionalString(data.failCode),
    failMsg: optionalString(data.failMsg),
    costTimeMs: optionalNumber(data.costTime),
    createTime: optionalTime(data.createTime),
    completeTime: optionalTime(data.completeTime),
    progress: optionalProgress(data.progress),
  };
}

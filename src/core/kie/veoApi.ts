import type { ModelSpec } from '../models/catalog';
import { asInt, isRecord } from './envelope';
import { KieError } from './errors';
import { jsonField, optionalProgress, optionalString, optionalTime, urlList } from './taskParsing';
import type { GenerationRequest, TaskSnapshot } from '../types';

/** Kie's Veo 3.1 API: the only file that knows its paths and fields. */
export const VEO_CREATE_PATH = '/api/v1/veo/generate';
export const VEO_RECORD_PATH = '/api/v1/veo/record-info';

export interface VeoCreateBody {
  prompt: string;
  model: string;
  aspect_ratio: '16:9' | '9:16';
  generationType: 'TEXT_2_VIDEO' | 'FIRST_AND_LAST_FRAMES_2_VIDEO';
  imageUrls?: string[];
}

export function buildVeoCreateBody(req: GenerationRequest, model: ModelSpec): VeoCreateBody {
  const images = model.image !== 'none' ? (req.imageUrls ?? []) : [];
  const body: VeoCreateBody = {
    prompt: req.prompt,
    model: model.apiModel,
    aspect_ratio: req.aspectRatio === 'portrait' ? '9:16' : '16:9',
    generationType: images.length > 0 ? 'FIRST_AND_LAST_FRAMES_2_VIDEO' : 'TEXT_2_VIDEO',
  };
  if (images.length > 0) body.imageUrls = images.slice(0, 2);
  return body;
}

/**
 * Normalises a Veo record-info `data`. successFlag 0 generating, 1 success, 2 and 3 failed; anything
 * else keeps polling as `generating`.
 */
export function parseVeoRecord(data: unknown, taskId: string): TaskSnapshot {
  if (!isRecord(data)) {
    throw new KieError({ kind: 'badResponse', message: `Kie's answer for task ${taskId} carries no task record.`, taskId });
  }
  const flag = asInt(data.successFlag);
  const rawState = flag === undefined ? `successFlag=${optionalString(data.successFlag) ?? 'missing'}` : `successFlag=${flag}`;
  const status = flag === 1 ? 'success' : flag === 2 || flag === 3 ? 'failed' : 'generating';
  const response = jsonField(data.response);
  const failed = status === 'failed';
  return {
    taskId: optionalString(data.taskId) ?? taskId,
    status,
    rawState,
    resultUrls: urlList(response?.resultUrls),
    watermarkUrls: [],
    failCode: optionalString(data.errorCode) ?? (failed ? String(flag) : undefined),
    failMsg: optionalString(data.errorMessage),
    createTime: optionalTime(data.createTime),
    completeTime: optionalTime(data.completeTime),
    progress: optionalProgress(data.progress),
  };
}

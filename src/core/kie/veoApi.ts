import type { ModelRequest } from '../models/requestBuilder';
import { asInt, isRecord } from './envelope';
import { KieError } from './errors';
import { jsonField, optionalNumber, optionalProgress, optionalString, optionalTime, urlList } from './taskParsing';
import type { TaskSnapshot } from '../types';

/** Kie's Veo 3.1 API: the only file that knows its paths and fields. */
export const VEO_CREATE_PATH = '/api/v1/veo/generate';
export const VEO_RECORD_PATH = '/api/v1/veo/record-info';

/** Veo takes its fields at the top level, beside `model` (the tier), with no `input` wrapper. */
export function buildVeoCreateBody(req: ModelRequest): Record<string, unknown> {
  return { ...req.input, model: req.model };
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
    ...(optionalNumber(data.creditsConsumed) !== undefined ? { creditsConsumed: optionalNumber(data.creditsConsumed) } : {}),
  };
}

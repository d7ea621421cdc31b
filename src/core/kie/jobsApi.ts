import type { ModelRequest } from '../models/requestBuilder';
import { asInt, isRecord } from './envelope';
import { KieError } from './errors';
import { jsonField, optionalNumber, optionalProgress, optionalString, optionalTime, urlList } from './taskParsing';
import type { RemoteStatus, TaskSnapshot } from '../types';

/** Kie's generic jobs API (every market model): the only file that knows its paths and envelope. */
export const JOBS_CREATE_PATH = '/api/v1/jobs/createTask';
export const JOBS_RECORD_PATH = '/api/v1/jobs/recordInfo';

export interface JobsCreateBody {
  model: string;
  input: Record<string, unknown>;
}

export function buildJobsCreateBody(req: ModelRequest): JobsCreateBody {
  return { model: req.model, input: req.input };
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

/** Kie's successFlag: 0 running, 1 success, 3 failed; used when `state` is missing or unknown. */
const FLAGS: Record<number, RemoteStatus> = { 0: 'generating', 1: 'success', 2: 'failed', 3: 'failed' };

/**
 * Normalises a recordInfo `data`. `response` (the result already parsed) is read before `resultJson`
 * (a JSON string), as Kie advises. An unknown state keeps polling as `generating` (with Kie's word in
 * rawState) rather than failing a task that may still finish.
 */
export function parseJobsRecord(data: unknown, taskId: string): TaskSnapshot {
  if (!isRecord(data)) {
    throw new KieError({ kind: 'badResponse', message: `Kie's answer for task ${taskId} carries no task record.`, taskId });
  }
  const flag = asInt(data.successFlag);
  const rawState = optionalString(data.state) ?? (flag !== undefined ? `successFlag=${flag}` : 'unknown');
  const status = STATES[rawState.toLowerCase()] ?? (flag !== undefined ? FLAGS[flag] : undefined) ?? 'generating';
  const response = jsonField(data.response);
  const result = response && urlList(response.resultUrls).length > 0 ? response : (jsonField(data.resultJson) ?? response);
  const credits = optionalNumber(data.creditsConsumed);
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
    ...(credits !== undefined ? { creditsConsumed: credits } : {}),
  };
}

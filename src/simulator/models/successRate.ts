import { createHash } from 'node:crypto';
import type { SimModel } from './table';

/** One ten-minute bucket of `GET /api/v1/models/{model}/success-rate`; rates in percent, null when no task ran. */
export interface SuccessPoint {
  start: number;
  end: number;
  successRate: number | null;
  errorRate: number | null;
  isNormal: boolean;
}

const BUCKET_MS = 10 * 60 * 1000;
const BUCKETS = 144;
/** Below this a bucket is reported abnormal. */
const NORMAL_PERCENT = 80;

/** A stable pseudo-random number in [0, 1) per model and bucket, so answers repeat across runs. */
function noise(model: string, start: number): number {
  return createHash('sha256').update(`${model}@${start}`).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * The last 24 h in completed ten-minute buckets, oldest first. About one bucket in eight had no task
 * (null rates, not 0 %); a model's bad spell covers its last `recent.hours`; `overridePercent` (a test's
 * setSuccessRate) replaces the last hour.
 */
export function successPoints(model: SimModel, now: number, overridePercent?: number): SuccessPoint[] {
  const profile = model.successRate;
  if (profile.noData && overridePercent === undefined) return [];
  const lastEnd = Math.floor(now / BUCKET_MS) * BUCKET_MS;
  const points: SuccessPoint[] = [];
  for (let i = BUCKETS - 1; i >= 0; i--) {
    const end = lastEnd - i * BUCKET_MS;
    const start = end - BUCKET_MS;
    const ago = i * BUCKET_MS;
    const n = noise(model.id, start);
    let percent: number | null;
    if (overridePercent !== undefined && ago < 60 * 60 * 1000) percent = overridePercent;
    else if (profile.recent && ago < profile.recent.hours * 60 * 60 * 1000) percent = profile.recent.percent + Math.round(n * 40) / 10 - 2;
    else if (n < 0.125) percent = null;
    else percent = Math.min(100, profile.usualPercent + Math.round(n * 60) / 10 - 3);
    const rate = percent === null ? null : Math.round(percent * 10) / 10;
    points.push({ start, end, successRate: rate, errorRate: rate === null ? null : Math.round((100 - rate) * 10) / 10, isNormal: rate === null || rate >= NORMAL_PERCENT });
  }
  return points;
}

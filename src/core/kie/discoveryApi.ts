import { isRecord } from './envelope';
import { KieError } from './errors';
import { optionalNumber, optionalString, optionalTime } from './taskParsing';

/** Kie's discovery API (kie-api.md §5): the only file that knows its paths and answer shapes. */
export const MODELS_PATH = '/api/v1/models';
export const VIDEO_TASK_TYPES = ['Text to Video', 'Image to Video'];

/** The slash inside a model id is kept as it is: Kie routes `/api/v1/models/kling-3.0/video/schema`. */
export function modelPath(model: string, what: 'schema' | 'price' | 'success-rate'): string {
  return `${MODELS_PATH}/${model.split('/').map(encodeURIComponent).join('/')}/${what}`;
}

export interface ListedModel {
  model: string;
  title: string;
  provider: string;
  taskTypes: string[];
  description?: string;
  pricingDesc?: string;
}

export interface SuccessRatePoint {
  start: number;
  end: number;
  /** 0-1, or undefined for a bucket with no tasks (not 0 %). */
  successRate?: number;
}

function badAnswer(what: string): KieError {
  return new KieError({ kind: 'badResponse', message: `Kie's ${what} answer has an unexpected shape.` });
}

export function parseModelList(data: unknown): ListedModel[] {
  const models = isRecord(data) ? data.models : undefined;
  if (!Array.isArray(models)) throw badAnswer('model list');
  const out: ListedModel[] = [];
  for (const m of models) {
    if (!isRecord(m)) continue;
    const model = optionalString(m.model);
    if (!model) continue;
    const types = Array.isArray(m.taskType) ? m.taskType.filter((t): t is string => typeof t === 'string') : typeof m.taskType === 'string' ? [m.taskType] : [];
    out.push({
      model,
      title: optionalString(m.title) ?? model,
      provider: optionalString(m.provider) ?? '',
      taskTypes: types,
      ...(optionalString(m.description) ? { description: optionalString(m.description) } : {}),
      ...(optionalString(m.pricingDesc) ? { pricingDesc: optionalString(m.pricingDesc) } : {}),
    });
  }
  return out;
}

/** The model's OpenAPI document, or undefined when Kie has not synced one yet (`openapi: null`). */
export function parseModelSchema(data: unknown): Record<string, unknown> | undefined {
  if (!isRecord(data)) throw badAnswer('schema');
  return isRecord(data.openapi) ? data.openapi : undefined;
}

export function parsePrice(data: unknown): string | undefined {
  return isRecord(data) ? optionalString(data.pricingDesc) : undefined;
}

export function parseSuccessRate(data: unknown): SuccessRatePoint[] {
  const points = isRecord(data) ? data.points : undefined;
  if (!Array.isArray(points)) return [];
  const out: SuccessRatePoint[] = [];
  for (const p of points) {
    if (!isRecord(p)) continue;
    const start = optionalTime(p.start);
    const end = optionalTime(p.end);
    if (start === undefined || end === undefined) continue;
    const rate = optionalNumber(p.successRate);
    out.push({ start, end, ...(rate !== undefined ? { successRate: rate > 1 ? rate / 100 : rate } : {}) });
  }
  return out;
}

/** The success rate over the buckets that ended within `windowMs` before `now`, ignoring empty ones. */
export function recentSuccessRate(points: SuccessRatePoint[], now: number, windowMs = 3_600_000): number | undefined {
  const rates = points.filter((p) => p.end > now - windowMs && p.successRate !== undefined).map((p) => p.successRate as number);
  if (rates.length === 0) return undefined;
  return rates.reduce((a, b) => a + b, 0) / rates.length;
}

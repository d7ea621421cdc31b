import type { GenerationRequest } from './spec';

/**
 * Tasks and sidecars written by 0.1 stored Sora-shaped requests (`aspectRatio: landscape`, `duration` as a
 * string, `size`, `removeWatermark`, `imageUrls`). They are read back in today's shape so old history still
 * shows, and "Generate Again" can carry it over to a live model.
 */
interface RequestV1 {
  model: string;
  prompt: string;
  aspectRatio?: string;
  duration?: string;
  removeWatermark?: boolean;
  size?: string;
  imageUrls?: string[];
}

function isV1(r: object): r is RequestV1 {
  return 'aspectRatio' in r || 'imageUrls' in r || 'removeWatermark' in r || ('duration' in r && typeof (r as { duration?: unknown }).duration === 'string');
}

export function readGenerationRequest(raw: unknown): GenerationRequest {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if (!isV1(r)) return r as unknown as GenerationRequest;
  const v1 = r as unknown as RequestV1;
  const veo = v1.model.startsWith('veo');
  const out: GenerationRequest = { model: String(v1.model ?? ''), prompt: String(v1.prompt ?? '') };
  if (v1.aspectRatio) out.aspect = veo ? (v1.aspectRatio === 'portrait' ? '9:16' : '16:9') : v1.aspectRatio;
  if (v1.duration && Number.isFinite(Number(v1.duration))) out.duration = Number(v1.duration);
  const options: Record<string, string | boolean> = {};
  if (v1.removeWatermark !== undefined && !veo) options.remove_watermark = v1.removeWatermark;
  if (v1.size) options.size = v1.size;
  if (Object.keys(options).length > 0) out.options = options;
  if (v1.imageUrls?.[0]) out.images = { first: v1.imageUrls[0], ...(v1.imageUrls[1] ? { last: v1.imageUrls[1] } : {}) };
  return out;
}

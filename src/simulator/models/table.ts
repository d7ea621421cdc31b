import type { CreditRule } from './credits';

/**
 * The models the simulator serves, as Kie.ai lists them (kie-api.md §2, §3, §8; pricing feed of
 * 2026-09-24). This is the simulator's own table: it plays Kie and must not depend on the product's
 * catalog, so a product bug cannot hide behind a shared mistake.
 */

export type TaskType = 'Text to Video' | 'Image to Video';

/** A field rule Kie's server applies beyond the JSON schema; answers the 422 message or undefined. */
export type CrossFieldRule = (input: Record<string, unknown>) => string | undefined;

export interface SuccessRateProfile {
  /** Percentage of tasks that succeed in an ordinary ten-minute bucket. */
  usualPercent: number;
  /** A recent bad spell: the last `hours` hours run at `percent`. */
  recent?: { percent: number; hours: number };
  /** No tasks at all in 24 h: the endpoint answers an empty list. */
  noData?: boolean;
}

export interface SimModel {
  /** Kie's model id: `input.model` on createTask, `model` on veo/generate. */
  id: string;
  title: string;
  provider: string;
  taskTypes: TaskType[];
  /** `jobs`: POST /api/v1/jobs/createTask with an `input` object; `veo`: POST /api/v1/veo/generate, a flat body. */
  family: 'jobs' | 'veo';
  description: string | null;
  /** Kie's price prose, as `GET /api/v1/models/{model}/price` and the model list answer it. */
  pricingDesc: string;
  credits: CreditRule;
  /** File under ./schemas: the JSON schema of the whole request body. */
  schemaFile: string;
  /** How long a run typically takes on Kie (used when the simulator is told to keep real run times). */
  typicalRunSeconds: number;
  successRate: SuccessRateProfile;
  /** Sora 2: paused on Kie since June 2026 and retired; served only when the simulator is told to. */
  retired?: boolean;
  /** Listed and served, but `GET …/schema` answers `openapi: null` ("not synced yet"). */
  schemaNotSynced?: boolean;
  rules?: CrossFieldRule[];
  /** Required in Kie's published schema but not enforced by its server (clients omitted them live). */
  notEnforced?: string[];
  /** Input properties Kie's OpenAPI document spells with a trailing space. */
  spacedKeys?: string[];
}

const BOTH: TaskType[] = ['Text to Video', 'Image to Video'];
const T2V: TaskType[] = ['Text to Video'];
const I2V: TaskType[] = ['Image to Video'];

function perSecond(field: string, fallback: string, rates: Record<string, number>, defaultSeconds: number, durationField = 'duration'): CreditRule {
  return { unit: 'second', by: [field], defaults: { [field]: fallback }, rates, durationField, defaultSeconds };
}

function veoTier(id: string, title: string, p720: number, p1080: number, p4kText: number, p4kImage: number, runSeconds: number): SimModel {
  const fourK = p4kText === p4kImage ? `${p4kText} credits at 4K` : `${p4kText} credits at 4K (${p4kImage} for image-to-video)`;
  return {
    id,
    title,
    provider: 'Google',
    taskTypes: BOTH,
    family: 'veo',
    description: `${title} through Kie's dedicated Veo API (POST /api/v1/veo/generate); every video has background audio.`,
    pricingDesc: `${title}: ${p720} credits per video at 720p, ${p1080} credits at 1080p, ${fourK}.`,
    credits: {
      unit: 'video',
      by: ['resolution', '@images'],
      defaults: { resolution: '720p' },
      rates: { '720p/*': p720, '1080p/*': p1080, '4k/text': p4kText, '4k/image': p4kImage },
    },
    schemaFile: 'veo__generate.json',
    typicalRunSeconds: runSeconds,
    successRate: { usualPercent: 96 },
    rules: [veoRules(id)],
  };
}

const VEO_TYPES = ['TEXT_2_VIDEO', 'FIRST_AND_LAST_FRAMES_2_VIDEO', 'REFERENCE_2_VIDEO'];

/** generationType rules of the dedicated Veo API (kie-api.md §8), shared with the market form's snake_case names. */
function veoRules(tier: string, names = { images: 'imageUrls', type: 'generationType', ratio: 'aspectRatio' }): CrossFieldRule {
  return (input) => {
    if (typeof input.prompt === 'string' && input.prompt.trim() === '') return 'prompt is required';
    const images = Array.isArray(input[names.images]) ? (input[names.images] as unknown[]).length : 0;
    const type = input[names.type] ?? (images === 0 ? 'TEXT_2_VIDEO' : 'FIRST_AND_LAST_FRAMES_2_VIDEO');
    if (typeof type !== 'string' || !VEO_TYPES.includes(type)) return `${names.type} must be one of: ${VEO_TYPES.join(', ')}`;
    const older = input[names.ratio];
    if (older !== undefined && !['16:9', '9:16', 'Auto'].includes(String(older))) return `${names.ratio} must be one of: 16:9, 9:16, Auto`;
    if (type === 'TEXT_2_VIDEO' && images > 0) return `${names.images} is not allowed with TEXT_2_VIDEO`;
    if (type === 'FIRST_AND_LAST_FRAMES_2_VIDEO' && (images < 1 || images > 2)) return `${names.images} must hold 1 or 2 images for FIRST_AND_LAST_FRAMES_2_VIDEO`;
    if (type === 'REFERENCE_2_VIDEO') {
      if (tier === 'veo3') return 'REFERENCE_2_VIDEO is only available with veo3_fast and veo3_lite';
      if (images < 1 || images > 3) return `${names.images} must hold 1 to 3 images for REFERENCE_2_VIDEO`;
      if (input.duration !== undefined && input.duration !== 8) return 'duration must be 8 for REFERENCE_2_VIDEO';
    }
    const seeds = input.seeds;
    if (seeds !== undefined && !(Number.isInteger(seeds) && Number(seeds) >= 10000 && Number(seeds) <= 99999)) {
      return 'seeds must be an integer between 10000 and 99999';
    }
    return undefined;
  };
}

const lastNeedsFirst: CrossFieldRule = (input) =>
  input.last_frame_url !== undefined && input.first_frame_url === undefined ? 'last_frame_url needs first_frame_url' : undefined;

const seedanceFramesOrReferences: CrossFieldRule = (input) => {
  const frames = input.first_frame_url !== undefined || input.last_frame_url !== undefined;
  const refs = ['reference_image_urls', 'reference_video_urls', 'reference_video_urls ', 'reference_audio_urls'].some((k) => input[k] !== undefined);
  return frames && refs ? 'first_frame_url/last_frame_url cannot be combined with reference_image_urls, reference_video_urls or reference_audio_urls' : undefined;
};

const hailuoNoLong1080: CrossFieldRule = (input) =>
  input.resolution === '1080P' && input.duration === '10' ? 'duration "10" is not available at 1080P' : undefined;

const klingMultiShot: CrossFieldRule = (input) => {
  const shots = Array.isArray(input.multi_prompt) ? input.multi_prompt.length : 0;
  if (input.multi_shots === true && shots === 0) return 'multi_prompt must hold 1 to 5 shots when multi_shots is true';
  if (shots > 5) return 'multi_prompt must hold at most 5 shots';
  if (Array.isArray(input.image_urls) && input.image_urls.length > 2) return 'image_urls must hold at most 2 images';
  return undefined;
};

const grokNoSpicyWithImages: CrossFieldRule = (input) =>
  input.mode === 'spicy' && Array.isArray(input.image_urls) && input.image_urls.length > 0 ? 'mode "spicy" is not available with external images' : undefined;

const SORA_RATES = { '10': 30, '15': 35 };
const SORA_PRO_RATES = { '10/standard': 150, '15/standard': 270, '10/high': 330, '15/high': 630 };

function sora(id: string, title: string, taskTypes: TaskType[], credits: CreditRule): SimModel {
  return {
    id,
    title,
    provider: 'OpenAI',
    taskTypes,
    family: 'jobs',
    description: 'Retired: paused on Kie since June 2026; OpenAI shut the Sora 2 API down on 2026-09-24.',
    pricingDesc: `${title}: 30 credits per 10-second video, 35 credits per 15-second video.`,
    credits,
    schemaFile: `${id}.json`,
    typicalRunSeconds: id.includes('pro') ? 180 : 60,
    successRate: { usualPercent: 0, noData: true },
    retired: true,
    notEnforced: ['upload_method'],
  };
}

export const MODELS: readonly SimModel[] = [
  veoTier('veo3', 'Veo 3.1 Quality', 250, 255, 380, 370, 180),
  veoTier('veo3_fast', 'Veo 3.1 Fast', 60, 65, 180, 180, 90),
  veoTier('veo3_lite', 'Veo 3.1 Lite', 30, 35, 150, 150, 60),
  {
    id: 'veo-3-1',
    title: 'Google Veo 3.1',
    provider: 'Google',
    taskTypes: BOTH,
    family: 'jobs',
    description: 'Veo 3.1 on the market API. No field picks the Quality, Fast or Lite tier.',
    pricingDesc: 'Veo 3.1: 60 credits per video at 720p, 65 credits at 1080p, 180 credits at 4K.',
    credits: { unit: 'video', by: ['resolution'], defaults: { resolution: '720p' }, rates: { '720p': 60, '1080p': 65, '4k': 180 } },
    schemaFile: 'veo-3-1.json',
    typicalRunSeconds: 90,
    successRate: { usualPercent: 95 },
    rules: [veoRules('veo-3-1', { images: 'image_urls', type: 'generation_type', ratio: 'aspectRatio' })],
  },
  {
    id: 'kling-3.0/video',
    title: 'Kling 3.0',
    provider: 'Kling',
    taskTypes: BOTH,
    family: 'jobs',
    description: 'Kling 3.0 video: single or multi-shot, optional first and last frame, elements referenced as @name.',
    pricingDesc:
      'Kling 3.0: 720p (std) 14 credits per second without audio, 20 credits per second with audio; 1080p (pro) 18 credits per second without audio, 27 credits per second with audio; 4K 67 credits per second.',
    credits: {
      unit: 'second',
      by: ['mode', 'sound'],
      defaults: { mode: 'pro', sound: 'false' },
      rates: { 'std/false': 14, 'std/true': 20, 'pro/false': 18, 'pro/true': 27, '4K/*': 67 },
      durationField: 'duration',
      defaultSeconds: 5,
    },
    schemaFile: 'kling-3.0__video.json',
    typicalRunSeconds: 150,
    successRate: { usualPercent: 94 },
    rules: [klingMultiShot],
  },
  {
    id: 'bytedance/seedance-2-5',
    title: 'Bytedance Seedance 2.5',
    provider: 'ByteDance',
    taskTypes: BOTH,
    family: 'jobs',
    description: 'Seedance 2.5: first and last frame, or up to 30 reference images, 10 videos and 10 audio clips.',
    pricingDesc:
      'Seedance 2.5: 480p 28 credits per second, 720p 63 credits per second, 1080p 158 credits per second (with video input: 17, 38 and 95 credits per second).',
    credits: perSecond('resolution', '720p', { '480p': 28, '720p': 63, '1080p': 158 }, 5),
    schemaFile: 'bytedance__seedance-2-5.json',
    typicalRunSeconds: 120,
    successRate: { usualPercent: 93 },
  },
  {
    id: 'bytedance/seedance-2',
    title: 'Bytedance Seedance 2.0',
    provider: 'ByteDance',
    taskTypes: BOTH,
    family: 'jobs',
    description: 'Seedance 2.0: frames or references, audio on by default.',
    pricingDesc: 'Seedance 2.0: 480p 19 credits per second, 720p 41 credits per second, 1080p 102 credits per second, 4K 208 credits per second.',
    credits: perSecond('resolution', '720p', { '480p': 19, '720p': 41, '1080p': 102, '4k': 208 }, 5),
    schemaFile: 'bytedance__seedance-2.json',
    typicalRunSeconds: 100,
    successRate: { usualPercent: 95 },
    rules: [lastNeedsFirst, seedanceFramesOrReferences],
  },
  {
    id: 'bytedance/seedance-2-fast',
    title: 'Bytedance Seedance 2.0 Fast',
    provider: 'ByteDance',
    taskTypes: BOTH,
    family: 'jobs',
    description: null,
    pricingDesc: 'Seedance 2.0 Fast: 480p 11.7 credits per second, 720p 24.8 credits per second.',
    credits: perSecond('resolution', '720p', { '480p': 11.7, '720p': 24.8 }, 5),
    schemaFile: 'bytedance__seedance-2-fast.json',
    typicalRunSeconds: 60,
    successRate: { usualPercent: 95, recent: { percent: 60, hours: 2 } },
    rules: [lastNeedsFirst, seedanceFramesOrReferences],
    spacedKeys: ['reference_video_urls'],
  },
  {
    id: 'wan/2-7-text-to-video',
    title: 'Wan 2.7 - Text to Video',
    provider: 'Wan',
    taskTypes: T2V,
    family: 'jobs',
    description: 'Wan 2.7 text to video; the shape is `ratio`, not `aspect_ratio`.',
    pricingDesc: 'Wan 2.7 Text to Video: 720p 16 credits per second, 1080p 24 credits per second.',
    credits: perSecond('resolution', '1080p', { '720p': 16, '1080p': 24 }, 5),
    schemaFile: 'wan__2-7-text-to-video.json',
    typicalRunSeconds: 90,
    successRate: { usualPercent: 97 },
  },
  {
    id: 'wan/2-7-image-to-video',
    title: 'Wan 2.7 - Image to Video',
    provider: 'Wan',
    taskTypes: I2V,
    family: 'jobs',
    description: 'Wan 2.7 image to video from a first frame, a last frame or a first clip.',
    pricingDesc: 'Wan 2.7 Image to Video: 720p 16 credits per second, 1080p 24 credits per second.',
    credits: perSecond('resolution', '1080p', { '720p': 16, '1080p': 24 }, 5),
    schemaFile: 'wan__2-7-image-to-video.json',
    typicalRunSeconds: 90,
    successRate: { usualPercent: 97 },
    rules: [lastNeedsFirst],
  },
  {
    id: 'minimax-h3/text-to-video',
    title: 'MiniMax H3 - Text to Video',
    provider: 'MiniMax',
    taskTypes: T2V,
    family: 'jobs',
    description: 'MiniMax H3 text to video.',
    pricingDesc: 'MiniMax H3 Text to Video: 768P 8 credits per second, 2K 13 credits per second (halved on 2026-09-22).',
    credits: perSecond('resolution', '768P', { '768P': 8, '2K': 13 }, 6),
    schemaFile: 'minimax-h3__text-to-video.json',
    typicalRunSeconds: 120,
    successRate: { usualPercent: 92 },
  },
  {
    id: 'minimax-h3/image-to-video',
    title: 'MiniMax H3 - Image to Video',
    provider: 'MiniMax',
    taskTypes: I2V,
    family: 'jobs',
    description: 'MiniMax H3 image to video from a first and an optional last frame.',
    pricingDesc: 'MiniMax H3 Image to Video: 768P 8 credits per second, 2K 13 credits per second (halved on 2026-09-22).',
    credits: perSecond('resolution', '768P', { '768P': 8, '2K': 13 }, 6),
    schemaFile: 'minimax-h3__image-to-video.json',
    typicalRunSeconds: 120,
    successRate: { usualPercent: 92 },
    rules: [lastNeedsFirst],
  },
  {
    id: 'hailuo/2-3-image-to-video-standard',
    title: 'Hailuo 2.3 Image to Video Standard',
    provider: 'Hailuo',
    taskTypes: I2V,
    family: 'jobs',
    description: 'Hailuo 2.3 image to video (one image, `image_url`).',
    pricingDesc: 'Hailuo 2.3 Standard: 768P 30 credits per 6-second video, 50 credits per 10-second video; 1080P 50 credits per 6-second video.',
    credits: { unit: 'video', by: ['resolution', 'duration'], defaults: { resolution: '768P', duration: '6' }, rates: { '768P/6': 30, '768P/10': 50, '1080P/6': 50 } },
    schemaFile: 'hailuo__2-3-image-to-video-standard.json',
    typicalRunSeconds: 150,
    successRate: { usualPercent: 96 },
    rules: [hailuoNoLong1080],
  },
  {
    id: 'hailuo/2-3-image-to-video-pro',
    title: 'Hailuo 2.3 Image to Video Pro',
    provider: 'Hailuo',
    taskTypes: I2V,
    family: 'jobs',
    description: 'Hailuo 2.3 Pro image to video (one image, `image_url`).',
    pricingDesc: 'Hailuo 2.3 Pro: 768P 45 credits per 6-second video, 90 credits per 10-second video; 1080P 80 credits per 6-second video.',
    credits: { unit: 'video', by: ['resolution', 'duration'], defaults: { resolution: '768P', duration: '6' }, rates: { '768P/6': 45, '768P/10': 90, '1080P/6': 80 } },
    schemaFile: 'hailuo__2-3-image-to-video-pro.json',
    typicalRunSeconds: 180,
    successRate: { usualPercent: 96 },
    schemaNotSynced: true,
    rules: [hailuoNoLong1080],
  },
  {
    id: 'grok-imagine/text-to-video',
    title: 'Grok Imagine Text to Video',
    provider: 'xAI',
    taskTypes: T2V,
    family: 'jobs',
    description: 'Grok Imagine text to video, 6 to 30 seconds.',
    pricingDesc: 'Grok Imagine: 480p 2.4 credits per second, 720p 4.5 credits per second, 1080p 8 credits per second.',
    credits: perSecond('resolution', '480p', { '480p': 2.4, '720p': 4.5, '1080p': 8 }, 6),
    schemaFile: 'grok-imagine__text-to-video.json',
    typicalRunSeconds: 45,
    successRate: { usualPercent: 98 },
  },
  {
    id: 'grok-imagine/image-to-video',
    title: 'Grok Imagine Image to Video',
    provider: 'xAI',
    taskTypes: I2V,
    family: 'jobs',
    description: 'Grok Imagine image to video: up to 7 images named @image1… in the prompt, or a Grok image task.',
    pricingDesc: 'Grok Imagine: 480p 2.4 credits per second, 720p 4.5 credits per second, 1080p 8 credits per second.',
    credits: perSecond('resolution', '480p', { '480p': 2.4, '720p': 4.5, '1080p': 8 }, 6),
    schemaFile: 'grok-imagine__image-to-video.json',
    typicalRunSeconds: 45,
    successRate: { usualPercent: 98 },
    rules: [grokNoSpicyWithImages],
  },
  // Models no bundled product spec knows: the product can reach them only through the live catalog.
  {
    id: 'kling-2.6/text-to-video',
    title: 'Kling 2.6 Text to Video',
    provider: 'Kling',
    taskTypes: T2V,
    family: 'jobs',
    description: 'Kling 2.6 text to video, with or without sound.',
    pricingDesc: 'Kling 2.6 Text to Video: 55 credits per 5-second video without sound, 110 credits with sound; 110 credits per 10-second video without sound, 220 credits with sound.',
    credits: { unit: 'video', by: ['duration', 'sound'], defaults: { duration: '5', sound: 'false' }, rates: { '5/false': 55, '5/true': 110, '10/false': 110, '10/true': 220 } },
    schemaFile: 'kling-2.6__text-to-video.json',
    typicalRunSeconds: 120,
    successRate: { usualPercent: 90 },
  },
  {
    id: 'wan/2-6-text-to-video',
    title: 'Wan 2.6 - Text to Video',
    provider: 'Wan',
    taskTypes: T2V,
    family: 'jobs',
    description: null,
    pricingDesc: 'Wan 2.6 Text to Video: 720p 70 credits per 5-second video, 1080p 105 credits per 5-second video; 10 and 15 seconds cost two and three times as much.',
    credits: { unit: 'second', by: ['resolution'], defaults: { resolution: '1080p' }, rates: { '720p': 14, '1080p': 21 }, durationField: 'duration', defaultSeconds: 5 },
    schemaFile: 'wan__2-6-text-to-video.json',
    typicalRunSeconds: 90,
    successRate: { usualPercent: 88 },
  },
  sora('sora-2-text-to-video', 'Sora 2 Text to Video', T2V, { unit: 'video', by: ['n_frames'], defaults: { n_frames: '10' }, rates: SORA_RATES }),
  sora('sora-2-image-to-video', 'Sora 2 Image to Video', I2V, { unit: 'video', by: ['n_frames'], defaults: { n_frames: '10' }, rates: SORA_RATES }),
  sora('sora-2-pro-text-to-video', 'Sora 2 Pro Text to Video', T2V, { unit: 'video', by: ['n_frames', 'size'], defaults: { n_frames: '10', size: 'high' }, rates: SORA_PRO_RATES }),
  sora('sora-2-pro-image-to-video', 'Sora 2 Pro Image to Video', I2V, { unit: 'video', by: ['n_frames', 'size'], defaults: { n_frames: '10', size: 'standard' }, rates: SORA_PRO_RATES }),
  sora('sora-2-pro-storyboard', 'Sora 2 Pro Storyboard', BOTH, { unit: 'video', by: ['n_frames'], defaults: { n_frames: '15' }, rates: { '10': 150, '15': 270, '25': 630 } }),
];

export function findSimModel(id: unknown, family: 'jobs' | 'veo'): SimModel | undefined {
  return MODELS.find((m) => m.id === id && m.family === family);
}

/** Sora ids Kie never served answer "paused" too (kie-api.md §3: every `sora-*` id). */
export function isSoraId(id: unknown): boolean {
  return typeof id === 'string' && id.startsWith('sora-');
}

import type { ChoiceValue, ModelSpec, OptionSpec } from './spec';

/**
 * The models the product knows without asking Kie, from Kie's documentation and pricing feed (dates in
 * each price rule). Adding a model is adding an entry here; a model Kie lists that is not here still
 * works through its live schema (liveSpec.ts). Fields follow Kie's June 2026 schemas and the September
 * 2026 changes; where the two disagree the request satisfies both where it can.
 */

const values = (...v: (string | number)[]): ChoiceValue[] => v.map((value) => ({ value }));

const aspect = (field: string, allowed: string[], def: string, required = false): OptionSpec => ({
  concept: 'aspect',
  field,
  type: 'choice',
  values: values(...allowed),
  default: def,
  ...(required ? { required } : {}),
});

const durationRange = (field: string, min: number, max: number, def: number, wire: 'string' | 'number' = 'number'): OptionSpec => ({
  concept: 'duration',
  field,
  type: 'integer',
  min,
  max,
  default: def,
  wire,
});

const durationChoice = (field: string, allowed: number[], def: number, wire: 'string' | 'number'): OptionSpec => ({
  concept: 'duration',
  field,
  type: 'choice',
  values: values(...allowed),
  default: def,
  wire,
});

const resolution = (allowed: ChoiceValue[], def: string, field = 'resolution'): OptionSpec => ({
  concept: 'resolution',
  field,
  type: 'choice',
  values: allowed,
  default: def,
});

const toggle = (concept: 'audio' | undefined, field: string, def: boolean): OptionSpec => ({
  ...(concept ? { concept } : {}),
  field,
  type: 'boolean',
  default: def,
});

const VEO_TIERS = [
  { id: 'veo3', label: 'Veo 3.1 Quality', prices: { '720p': 250, '1080p': 255, '4k': 380 }, seconds: 180, references: false },
  { id: 'veo3_fast', label: 'Veo 3.1 Fast', prices: { '720p': 60, '1080p': 65, '4k': 180 }, seconds: 90, references: true },
  { id: 'veo3_lite', label: 'Veo 3.1 Lite', prices: { '720p': 30, '1080p': 35, '4k': 150 }, seconds: 60, references: true },
] as const;

const veo: ModelSpec[] = VEO_TIERS.map((t) => ({
  id: t.id,
  apiModel: t.id,
  provider: 'Google',
  label: t.label,
  kind: 'text',
  family: 'veo',
  prompt: { field: 'prompt', max: 10000 },
  images: {
    first: { field: 'imageUrls', list: true },
    last: { field: 'imageUrls', list: true },
    ...(t.references ? { references: { field: 'imageUrls', max: 3, min: 1 }, exclusive: true, referenceDurations: [8] } : {}),
  },
  options: [
    aspect('aspect_ratio', ['16:9', '9:16', 'Auto'], '16:9'),
    resolution(values('720p', '1080p', '4k'), '1080p'),
    durationChoice('duration', [4, 6, 8], 8, 'number'),
    toggle(undefined, 'enableTranslation', true),
  ],
  derived: [{ field: 'generationType', byImages: { none: 'TEXT_2_VIDEO', frames: 'FIRST_AND_LAST_FRAMES_2_VIDEO', references: 'REFERENCE_2_VIDEO' } }],
  price: { unit: 'video', keyBy: ['resolution'], table: t.prices, checked: '2026-09-24' },
  typicalSeconds: t.seconds,
  source: 'bundled',
}));

const kling: ModelSpec = {
  id: 'kling-3.0/video',
  apiModel: 'kling-3.0/video',
  provider: 'Kling',
  label: 'Kling 3.0',
  kind: 'text',
  family: 'jobs',
  prompt: { field: 'prompt', max: 2500 },
  images: { first: { field: 'image_urls', list: true }, last: { field: 'image_urls', list: true } },
  options: [
    aspect('aspect_ratio', ['16:9', '9:16', '1:1'], '16:9', true),
    durationRange('duration', 3, 15, 5, 'string'),
    resolution([{ value: 'std', means: '720p' }, { value: 'pro', means: '1080p' }, { value: '4K', means: '4k' }], 'pro', 'mode'),
    { ...toggle('audio', 'sound', false), required: true },
  ],
  constants: { multi_shots: false, multi_prompt: [] },
  price: { unit: 'second', keyBy: ['resolution', 'audio'], table: { 'std|false': 14, 'std|true': 20, 'pro|false': 18, 'pro|true': 27, '4K|*': 67 }, checked: '2026-09-24' },
  typicalSeconds: 180,
  source: 'bundled',
};

const SEEDANCE_ASPECTS = ['16:9', '9:16', '1:1', '4:3', '3:4', '21:9', 'adaptive'];

const seedance = (id: string, label: string, o: { resolutions: string[]; prices: Record<string, number>; refs: number; maxDuration: number; promptMax: number; aspectDefault: string; seconds: number; checked: string }): ModelSpec => ({
  id,
  apiModel: id,
  provider: 'ByteDance',
  label,
  kind: 'text',
  family: 'jobs',
  prompt: { field: 'prompt', max: o.promptMax, min: 3 },
  images: {
    first: { field: 'first_frame_url' },
    last: { field: 'last_frame_url' },
    references: { field: 'reference_image_urls', max: o.refs },
    exclusive: true,
  },
  options: [
    aspect('aspect_ratio', SEEDANCE_ASPECTS, o.aspectDefault),
    durationRange('duration', 4, o.maxDuration, 5),
    resolution(values(...o.resolutions), '720p'),
    toggle('audio', 'generate_audio', true),
    toggle(undefined, 'return_last_frame', false),
  ],
  price: { unit: 'second', keyBy: ['resolution'], table: o.prices, checked: o.checked },
  typicalSeconds: o.seconds,
  source: 'bundled',
});

const wanCommon: OptionSpec[] = [
  durationRange('duration', 2, 15, 5),
  resolution(values('720p', '1080p'), '1080p'),
  { concept: 'negative', field: 'negative_prompt', type: 'text', maxLength: 500 },
  { concept: 'seed', field: 'seed', type: 'integer', min: 0, max: 2147483647 },
  toggle(undefined, 'prompt_extend', true),
  toggle(undefined, 'watermark', false),
];

const WAN_PRICE = { unit: 'second', keyBy: ['resolution'], table: { '720p': 16, '1080p': 24 }, checked: '2026-09-24' } as const;

const wan: ModelSpec[] = [
  {
    id: 'wan/2-7-text-to-video',
    apiModel: 'wan/2-7-text-to-video',
    provider: 'Wan',
    label: 'Wan 2.7',
    kind: 'text',
    family: 'jobs',
    prompt: { field: 'prompt', max: 5000, min: 1 },
    images: {},
    options: [aspect('ratio', ['16:9', '9:16', '1:1', '4:3', '3:4'], '16:9'), ...wanCommon],
    price: WAN_PRICE,
    typicalSeconds: 120,
    source: 'bundled',
  },
  {
    id: 'wan/2-7-image-to-video',
    apiModel: 'wan/2-7-image-to-video',
    provider: 'Wan',
    label: 'Wan 2.7',
    kind: 'image',
    family: 'jobs',
    prompt: { field: 'prompt', max: 5000 },
    images: { first: { field: 'first_frame_url', required: true }, last: { field: 'last_frame_url' } },
    options: wanCommon,
    price: WAN_PRICE,
    typicalSeconds: 120,
    source: 'bundled',
  },
];

const MINIMAX_PRICE = { unit: 'second', keyBy: ['resolution'], table: { '768P': 8, '2K': 13 }, checked: '2026-09-22' } as const;

const minimax: ModelSpec[] = [
  {
    id: 'minimax-h3/text-to-video',
    apiModel: 'minimax-h3/text-to-video',
    provider: 'MiniMax',
    label: 'MiniMax H3',
    kind: 'text',
    family: 'jobs',
    prompt: { field: 'prompt', max: 7000 },
    images: {},
    options: [aspect('aspect_ratio', ['16:9', '9:16', '1:1'], '16:9', true), durationRange('duration', 4, 15, 6), resolution(values('768P', '2K'), '768P')],
    price: MINIMAX_PRICE,
    typicalSeconds: 120,
    source: 'bundled',
  },
  {
    id: 'minimax-h3/image-to-video',
    apiModel: 'minimax-h3/image-to-video',
    provider: 'MiniMax',
    label: 'MiniMax H3',
    kind: 'image',
    family: 'jobs',
    prompt: { field: 'prompt', max: 7000 },
    images: { first: { field: 'first_frame_url', required: true }, last: { field: 'last_frame_url' } },
    options: [durationRange('duration', 4, 15, 6), resolution(values('768P', '2K'), '768P')],
    price: MINIMAX_PRICE,
    typicalSeconds: 120,
    source: 'bundled',
  },
];

const hailuo = (tier: 'standard' | 'pro', label: string, table: Record<string, number>): ModelSpec => ({
  id: `hailuo/2-3-image-to-video-${tier}`,
  apiModel: `hailuo/2-3-image-to-video-${tier}`,
  provider: 'Hailuo',
  label,
  kind: 'image',
  family: 'jobs',
  prompt: { field: 'prompt', max: 5000 },
  images: { first: { field: 'image_url', required: true } },
  options: [durationChoice('duration', [6, 10], 6, 'string'), resolution([{ value: '768P', means: '720p' }, { value: '1080P', means: '1080p' }], '768P')],
  constraints: [{ when: { concept: 'resolution', is: '1080P' }, only: { concept: 'duration', values: [6] } }],
  price: { unit: 'video', keyBy: ['resolution', 'duration'], table, checked: '2026-09-24' },
  typicalSeconds: 120,
  source: 'bundled',
});

const grokMode = (allowed: string[]): OptionSpec => ({ field: 'mode', type: 'choice', values: values(...allowed), default: 'normal' });
const GROK_PRICE = { unit: 'second', keyBy: ['resolution'], table: { '480p': 2.4, '720p': 4.5 }, checked: '2026-09-24' } as const;

const grok: ModelSpec[] = [
  {
    id: 'grok-imagine/text-to-video',
    apiModel: 'grok-imagine/text-to-video',
    provider: 'xAI',
    label: 'Grok Imagine',
    kind: 'text',
    family: 'jobs',
    prompt: { field: 'prompt', max: 5000 },
    images: {},
    options: [aspect('aspect_ratio', ['2:3', '3:2', '1:1', '16:9', '9:16'], '16:9'), durationRange('duration', 6, 30, 6), resolution(values('480p', '720p'), '720p'), grokMode(['fun', 'normal', 'spicy'])],
    price: GROK_PRICE,
    typicalSeconds: 60,
    source: 'bundled',
  },
  {
    id: 'grok-imagine/image-to-video',
    apiModel: 'grok-imagine/image-to-video',
    provider: 'xAI',
    label: 'Grok Imagine',
    kind: 'image',
    family: 'jobs',
    prompt: { field: 'prompt', max: 5000, optional: true },
    // One list: the first image, then up to six more the prompt can name as @image2…
    images: { first: { field: 'image_urls', list: true, required: true }, references: { field: 'image_urls', max: 6 } },
    // June's schema types this duration as a string, unlike text-to-video's number.
    options: [durationRange('duration', 6, 30, 6, 'string'), resolution(values('480p', '720p'), '720p'), grokMode(['fun', 'normal'])],
    price: GROK_PRICE,
    typicalSeconds: 60,
    source: 'bundled',
  },
];

const SORA_RETIREMENT = 'OpenAI shut the Sora 2 API down on 2026-09-24 and Kie has answered every Sora 2 request with "temporarily paused" since June 2026.';

/** Kept so old tasks and prompt files still show what they were and can move to a live model. */
const sora = (id: string, label: string, kind: 'text' | 'image', pro: boolean, alternative: string): ModelSpec => ({
  id,
  apiModel: id,
  provider: 'OpenAI',
  label,
  kind,
  family: 'jobs',
  prompt: { field: 'prompt', max: 10000 },
  images: kind === 'image' ? { first: { field: 'image_urls', list: true, required: true } } : {},
  options: [
    aspect('aspect_ratio', ['landscape', 'portrait'], 'landscape'),
    durationChoice('n_frames', [10, 15], 10, 'string'),
    toggle(undefined, 'remove_watermark', true),
    ...(pro ? [{ field: 'size', type: 'choice', values: values('standard', 'high'), default: kind === 'text' ? 'high' : 'standard' } as OptionSpec] : []),
  ],
  constants: { upload_method: 's3' },
  typicalSeconds: pro ? 180 : 60,
  retired: { note: SORA_RETIREMENT, alternative, since: '2026-06-11' },
  source: 'bundled',
});

export const BUNDLED_SPECS: readonly ModelSpec[] = [
  ...veo,
  kling,
  seedance('bytedance/seedance-2', 'Seedance 2.0', {
    resolutions: ['480p', '720p', '1080p'],
    prices: { '480p': 19, '720p': 41, '1080p': 102 },
    refs: 9,
    maxDuration: 15,
    promptMax: 20000,
    aspectDefault: '16:9',
    seconds: 150,
    checked: '2026-09-24',
  }),
  seedance('bytedance/seedance-2-fast', 'Seedance 2.0 Fast', {
    resolutions: ['480p', '720p'],
    prices: { '480p': 11.7, '720p': 24.8 },
    refs: 9,
    maxDuration: 15,
    promptMax: 20000,
    aspectDefault: '16:9',
    seconds: 80,
    checked: '2026-09-24',
  }),
  seedance('bytedance/seedance-2-5', 'Seedance 2.5', {
    resolutions: ['480p', '720p', '1080p'],
    prices: { '480p': 28, '720p': 63, '1080p': 158 },
    refs: 30,
    maxDuration: 30,
    promptMax: 30000,
    aspectDefault: 'adaptive',
    seconds: 180,
    checked: '2026-09-24',
  }),
  ...wan,
  ...minimax,
  hailuo('standard', 'Hailuo 2.3 Standard', { '768P|6': 30, '768P|10': 50, '1080P|6': 50 }),
  hailuo('pro', 'Hailuo 2.3 Pro', { '768P|6': 45, '768P|10': 90, '1080P|6': 80 }),
  ...grok,
  sora('sora-2-text-to-video', 'Sora 2', 'text', false, 'veo3_fast'),
  sora('sora-2-image-to-video', 'Sora 2', 'image', false, 'veo3_fast'),
  sora('sora-2-pro-text-to-video', 'Sora 2 Pro', 'text', true, 'veo3'),
  sora('sora-2-pro-image-to-video', 'Sora 2 Pro', 'image', true, 'veo3'),
];

export const DEFAULT_MODEL = 'veo3_fast';

export function findBundled(id: string): ModelSpec | undefined {
  return BUNDLED_SPECS.find((m) => m.id === id);
}

/** Looks a bundled model up by what Kie calls it (poll answers and Kie's logs carry Kie's name). */
export function findBundledByApiName(apiModel: string): ModelSpec | undefined {
  return BUNDLED_SPECS.find((m) => m.apiModel === apiModel);
}

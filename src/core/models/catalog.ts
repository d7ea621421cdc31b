import type { ApiFamily, AspectRatio, ProSize } from '../types';
import type { ModelKind } from './spec';

/**
 * The models the extension offers. Adding or retiring a model is a change to this table, not to code:
 * the request builders read `family`, `inputs` and the allowed values from here.
 */
export interface ModelSpec {
  /** Catalog id; also what settings and the ledger store. */
  id: string;
  /** The `model` value Kie expects. */
  apiModel: string;
  /** The model's own name, a product name that is not translated. */
  label: string;
  /** What it makes from what; the editor layer shows it localized beside the label. */
  kind?: ModelKind;
  family: ApiFamily;
  /** Whether the model takes a source image. */
  image: 'none' | 'required' | 'optional';
  aspectRatios: readonly AspectRatio[];
  /** Allowed durations in seconds (as strings, as Kie takes them). A single value means fixed length. */
  durations: readonly string[];
  /** Output sizes, for models that take `size`. */
  sizes?: readonly ProSize[];
  /** Whether `remove_watermark` is sent. */
  watermarkOption: boolean;
  maxPromptLength: number;
  /**
   * Approximate credits per generation, keyed by `<duration>` or `<duration>/<size>`; `*` for any.
   * A hint only: Kie's price list is the authority.
   */
  creditCost: Readonly<Record<string, number>>;
  /** What a run usually takes, used by the poll scheduler until it has learned better. */
  typicalSeconds: number;
  /** Set when the model is retired or announced as retiring. */
  retired?: { note: string; alternative: string };
}

const SORA_RETIREMENT =
  'OpenAI deprecated the Sora 2 API on 2026-03-24 and planned its removal for 2026-09-24; Kie may no longer serve it.';

export const MODELS: readonly ModelSpec[] = [
  {
    id: 'veo3_fast',
    apiModel: 'veo3_fast',
    label: 'Veo 3.1 Fast',
    family: 'veo',
    image: 'optional',
    aspectRatios: ['landscape', 'portrait'],
    durations: ['8'],
    watermarkOption: false,
    maxPromptLength: 10000,
    creditCost: { '*': 60 },
    typicalSeconds: 90,
  },
  {
    id: 'veo3',
    apiModel: 'veo3',
    label: 'Veo 3.1 Quality',
    family: 'veo',
    image: 'optional',
    aspectRatios: ['landscape', 'portrait'],
    durations: ['8'],
    watermarkOption: false,
    maxPromptLength: 10000,
    creditCost: { '*': 250 },
    typicalSeconds: 180,
  },
  {
    id: 'sora-2-text-to-video',
    apiModel: 'sora-2-text-to-video',
    label: 'Sora 2',
    kind: 'text',
    family: 'jobs',
    image: 'none',
    aspectRatios: ['landscape', 'portrait'],
    durations: ['10', '15'],
    watermarkOption: true,
    maxPromptLength: 10000,
    creditCost: { '10': 30, '15': 35 },
    typicalSeconds: 60,
    retired: { note: SORA_RETIREMENT, alternative: 'veo3_fast' },
  },
  {
    id: 'sora-2-image-to-video',
    apiModel: 'sora-2-image-to-video',
    label: 'Sora 2',
    kind: 'image',
    family: 'jobs',
    image: 'required',
    aspectRatios: ['landscape', 'portrait'],
    durations: ['10', '15'],
    watermarkOption: true,
    maxPromptLength: 10000,
    creditCost: { '10': 30, '15': 35 },
    typicalSeconds: 60,
    retired: { note: SORA_RETIREMENT, alternative: 'veo3_fast' },
  },
  {
    id: 'sora-2-pro-text-to-video',
    apiModel: 'sora-2-pro-text-to-video',
    label: 'Sora 2 Pro',
    kind: 'text',
    family: 'jobs',
    image: 'none',
    aspectRatios: ['landscape', 'portrait'],
    durations: ['10', '15'],
    sizes: ['standard', 'high'],
    watermarkOption: true,
    maxPromptLength: 10000,
    creditCost: { '10/standard': 150, '15/standard': 270, '10/high': 330, '15/high': 630 },
    typicalSeconds: 180,
    retired: { note: SORA_RETIREMENT, alternative: 'veo3' },
  },
  {
    id: 'sora-2-pro-image-to-video',
    apiModel: 'sora-2-pro-image-to-video',
    label: 'Sora 2 Pro',
    kind: 'image',
    family: 'jobs',
    image: 'required',
    aspectRatios: ['landscape', 'portrait'],
    durations: ['10', '15'],
    sizes: ['standard', 'high'],
    watermarkOption: true,
    maxPromptLength: 10000,
    creditCost: { '10/standard': 150, '15/standard': 270, '10/high': 330, '15/high': 630 },
    typicalSeconds: 180,
    retired: { note: SORA_RETIREMENT, alternative: 'veo3' },
  },
];

export const DEFAULT_MODEL = 'veo3_fast';

export function findModel(id: string): ModelSpec | undefined {
  return MODELS.find((m) => m.id === id);
}

/** Looks a model up by what Kie calls it (ledger entries and poll answers carry Kie's name). */
export function findModelByApiName(apiModel: string): ModelSpec | undefined {
  return MODELS.find((m) => m.apiModel === apiModel);
}

/** The credit hint for a choice of options, or undefined when the table has no entry for it. */
export function estimateCredits(model: ModelSpec, duration?: string, size?: ProSize): number | undefined {
  const d = duration ?? model.durations[0];
  const keys = size ? [`${d}/${size}`, d, '*'] : [d, '*'];
  for (const k of keys) {
    const v = model.creditCost[k];
    if (v !== undefined) return v;
  }
  return undefined;
}

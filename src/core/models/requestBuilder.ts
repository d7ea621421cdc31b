import { effectiveValue, imageMode } from './choices';
import type { ImageSlot, ModelSpec, OptionSpec, OptionValue, VideoChoices } from './spec';

/** A model's request as Kie takes it: the `model` value and the model's own `input` fields. */
export interface ModelRequest {
  model: string;
  input: Record<string, unknown>;
}

function toWire(opt: OptionSpec, v: OptionValue): unknown {
  if (opt.wire === 'string') return String(v);
  if (opt.wire === 'number' || opt.type === 'integer' || opt.type === 'number') {
    const n = typeof v === 'number' ? v : Number(v);
    return Number.isFinite(n) ? n : v;
  }
  if (opt.type === 'boolean') return v === true || v === 'true';
  return v;
}

function putImage(input: Record<string, unknown>, slot: ImageSlot | { field: string; list?: boolean }, url: string): void {
  if (!slot.list) {
    input[slot.field] = url;
    return;
  }
  const list = Array.isArray(input[slot.field]) ? (input[slot.field] as unknown[]) : [];
  input[slot.field] = [...list, url];
}

/**
 * The one place a spec and the user's choices become a model's fields. Every option is sent explicitly,
 * defaults included, because Kie was seen not applying its own server-side defaults for some models.
 * Images must already be URLs (uploaded); validate first (choiceValidation.ts): this builds what it is given.
 */
export function buildRequest(spec: ModelSpec, choices: VideoChoices): ModelRequest {
  const input: Record<string, unknown> = {};
  const prompt = choices.prompt.trim();
  if (prompt !== '' || !spec.prompt.optional) input[spec.prompt.field] = prompt;
  for (const opt of spec.options) {
    const v = effectiveValue(opt, choices);
    if (v !== undefined) input[opt.field] = toWire(opt, v);
  }
  const images = choices.images ?? {};
  if (images.first && spec.images.first) putImage(input, spec.images.first, images.first);
  if (images.last && spec.images.last) putImage(input, spec.images.last, images.last);
  if (spec.images.references) for (const url of images.references ?? []) putImage(input, { field: spec.images.references.field, list: true }, url);
  for (const [field, value] of Object.entries(spec.constants ?? {})) input[field] = Array.isArray(value) ? [...value] : value;
  for (const d of spec.derived ?? []) {
    const v = d.byImages[imageMode(choices)];
    if (v !== undefined) input[d.field] = v;
  }
  return { model: spec.apiModel, input };
}

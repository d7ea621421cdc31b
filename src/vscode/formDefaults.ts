import { DEFAULT_MODEL, MODELS, findModel, type ModelSpec } from '../core/models/catalog';
import { readGenerationRequest } from '../core/models/legacyRequest';
import type { GenerationRequest } from '../core/models/spec';
import type { AspectRatio, ProSize } from '../core/types';
import type { FormState } from '../webview/messages';

/** The raw `sora.*` values the form starts from; they may name a model or duration that no longer fits. */
export interface FormSettings {
  defaultModel: string;
  aspectRatio: AspectRatio;
  duration: string;
  removeWatermark: boolean;
}

function fitToModel(model: ModelSpec, want: { aspectRatio: AspectRatio; duration: string; size?: ProSize }): Pick<FormState, 'aspectRatio' | 'duration' | 'size'> {
  return {
    aspectRatio: model.aspectRatios.includes(want.aspectRatio) ? want.aspectRatio : model.aspectRatios[0],
    duration: model.durations.includes(want.duration) ? want.duration : model.durations[0],
    size: want.size && model.sizes?.includes(want.size) ? want.size : (model.sizes?.[0] ?? 'standard'),
  };
}

/** A form the chosen model accepts: unknown models fall back to the default, options to the model's first. */
export function formDefaults(s: FormSettings): FormState {
  const model = findModel(s.defaultModel) ?? (findModel(DEFAULT_MODEL) as ModelSpec);
  return { prompt: '', model: model.id, removeWatermark: s.removeWatermark, ...fitToModel(model, s) };
}

/** Keeps the model when it takes an image; else the first current (not retired) image model. */
export function imageCapableModel(modelId: string): string {
  const current = findModel(modelId);
  if (current && current.image !== 'none') return current.id;
  const pick = MODELS.find((m) => m.image !== 'none' && !m.retired) ?? MODELS.find((m) => m.image !== 'none');
  return (pick ?? MODELS[0]).id;
}

/** Switches a form to another model, keeping what still fits. */
export function withModel(form: FormState, modelId: string): FormState {
  const model = findModel(modelId);
  return model ? { ...form, model: model.id, ...fitToModel(model, form) } : form;
}

/** The form that reproduces a past request (for "Generate again"). */
export function formFromRequest(stored: GenerationRequest, fallback: FormState): FormState {
  const req = readGenerationRequest(stored);
  const model = findModel(req.model);
  if (!model) return { ...fallback, prompt: req.prompt };
  const aspectRatio: AspectRatio = req.aspect === 'portrait' || req.aspect === '9:16' ? 'portrait' : 'landscape';
  const size = req.options?.size === 'high' || req.options?.size === 'standard' ? (req.options.size as ProSize) : undefined;
  const removeWatermark = typeof req.options?.remove_watermark === 'boolean' ? req.options.remove_watermark : fallback.removeWatermark;
  return {
    prompt: req.prompt,
    model: model.id,
    removeWatermark,
    ...fitToModel(model, { aspectRatio, duration: req.duration !== undefined ? String(req.duration) : fallback.duration, size }),
  };
}

/** The form's values as a request in the model layer's words; `imagePath` becomes the first frame. */
export function formToRequest(form: FormState, imagePath?: string): GenerationRequest {
  const model = findModel(form.model);
  const legacy: Record<string, unknown> = { model: form.model, prompt: form.prompt, aspectRatio: form.aspectRatio, duration: form.duration };
  if (model?.sizes) legacy.size = form.size;
  if (model?.watermarkOption) legacy.removeWatermark = form.removeWatermark;
  if (imagePath) legacy.imageUrls = [imagePath];
  return readGenerationRequest(legacy);
}

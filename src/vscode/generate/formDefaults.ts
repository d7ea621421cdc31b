import { DEFAULT_MODEL } from '../../core/models/bundledSpecs';
import { readGenerationRequest } from '../../core/models/legacyRequest';
import type { GenerationRequest, ModelSpec, VideoChoices } from '../../core/models/spec';
import type { TaskRecord } from '../../core/tasks/task';
import { fitRequest } from '../../webview/modelSwitch';
import type { FormCatalog } from './formCatalog';

/** The `sora.*` values the form starts from; any of them may name a model or value that no longer fits. */
export interface FormSettings {
  defaultModel: string;
  /** Preferred aspect ratio for a model used for the first time; Sora-era `landscape`/`portrait` still read. */
  aspectRatio?: string;
  /** Preferred length in seconds for a model used for the first time. */
  duration?: number;
}

/** What the form remembers between sessions (in the global memento). */
export interface FormMemory {
  /** The last choices made for each model, without prompt and images. */
  choices: Record<string, VideoChoices>;
  /** The last model used with a start image, for "Generate Video from Image". */
  lastImageModel?: string;
}

/** Sora's orientation words, as old settings, prompt files and tasks still carry them. */
export function legacyAspect(aspect: string | undefined): string | undefined {
  if (aspect === 'landscape') return '16:9';
  if (aspect === 'portrait') return '9:16';
  return aspect;
}

/** The catalog as these functions read it: what is offered, and any spec (retired ones too). */
export type SpecSource = Pick<FormCatalog, 'list' | 'spec'>;

function offered(catalog: SpecSource, id: string | undefined): ModelSpec | undefined {
  return id ? catalog.list().find((e) => e.spec.id === id)?.spec : undefined;
}

/**
 * The model a new form opens on: the requested one if Kie still serves it, else its successor (a retired
 * Sora model names one), else the product default. Retired models are never a starting point.
 */
export function usableModel(catalog: SpecSource, id: string | undefined): ModelSpec {
  const spec = id ? catalog.spec(id) : undefined;
  return offered(catalog, id) ?? offered(catalog, spec?.retired?.alternative) ?? offered(catalog, DEFAULT_MODEL) ?? catalog.list()[0].spec;
}

/** The choices a new form starts with for `spec`: the last ones made for it, else the settings' preferences. */
export function startRequest(spec: ModelSpec, settings: FormSettings, memory: FormMemory, prompt = ''): GenerationRequest {
  const remembered = memory.choices[spec.id];
  if (remembered) return fitRequest(spec, spec, { ...remembered, prompt }).request;
  const preferred: VideoChoices = { prompt };
  const aspect = legacyAspect(settings.aspectRatio);
  if (aspect) preferred.aspect = aspect;
  if (settings.duration !== undefined && Number.isFinite(settings.duration)) preferred.duration = settings.duration;
  return fitRequest(undefined, spec, preferred).request;
}

/** The model "Generate Video from Image" opens on: the last one used with an image, first time Veo 3.1 Fast. */
export function imageModel(catalog: SpecSource, memory: FormMemory): ModelSpec {
  const last = offered(catalog, memory.lastImageModel);
  if (last?.images.first) return last;
  return usableModel(catalog, DEFAULT_MODEL);
}

/** What to remember of a request for its model: the choices, not the prompt or the images. */
export function remembered(memory: FormMemory, request: GenerationRequest, spec: ModelSpec | undefined): FormMemory {
  const { prompt: _prompt, images, model, ...choices } = request;
  const next: FormMemory = { ...memory, choices: { ...memory.choices, [model]: { prompt: '', ...choices } } };
  if (images?.first && spec?.images.first && !spec.retired) next.lastImageModel = model;
  return next;
}

/**
 * A past task's request in today's terms, its images as the local files they came from (the record's
 * request holds the uploaded URLs, which expire). Sora-era records are read through legacyRequest.ts;
 * their `landscape`/`portrait` become aspect ratios so they carry over to a live model.
 */
export function requestFromRecord(task: Pick<TaskRecord, 'request' | 'sourceImage' | 'sourceImages'>): GenerationRequest {
  const { images: _uploaded, ...request } = readGenerationRequest(task.request);
  const out: GenerationRequest = { ...request };
  const aspect = legacyAspect(out.aspect);
  if (aspect) out.aspect = aspect;
  const local = task.sourceImages ?? (task.sourceImage ? { first: task.sourceImage } : undefined);
  if (local && (local.first || local.last || local.references?.length)) out.images = { ...local };
  return out;
}

/**
 * Every message between the extension host and its webviews, defined once for both sides. The host
 * validates what it receives with the `parse…` functions below; nothing from a webview is trusted.
 * No `vscode` and no DOM here: both bundles import this file.
 */
import type { GenerationRequest, IssueField, ModelSpec, OptionValue } from '../core/models/spec';

/** A model the picker offers: its spec plus what Kie's live catalog says about it today. */
export interface ModelEntry {
  spec: ModelSpec;
  /** Kie's own title for a model known only from the live catalog. */
  title?: string;
  pricingDesc?: string;
  /** 0-1 over Kie's recent hours, when the live catalog reports it. */
  successRate?: number;
  /** Kie refused it (paused, unknown model) in this session or before. */
  unavailable?: boolean;
}

/** Which catalog the picker lists: Kie's live one, the cached copy of it, or the bundled specs only. */
export interface CatalogView {
  source: 'live' | 'cache' | 'bundled';
  fetchedAt?: number;
}

export type ImageRole = 'first' | 'last' | 'references';

/**
 * The form's values. `request.images` holds keys the host gave attached images (`img1`…), never
 * file paths: the host resolves them when it validates or submits.
 */
export interface FormState {
  request: GenerationRequest;
  /** How many tasks of the same inputs one Generate makes (1-4). */
  variants: number;
}

export const MAX_VARIANTS = 4;

/** An attached image as the webview sees it: a webview URI for the preview, never a file path. */
export interface ImageView {
  key: string;
  name: string;
  /** `asWebviewUri` of the image, for the <img> preview. */
  src: string;
  bytes: number;
}

/** A validation problem, already worded in the user's language by the host. */
export interface FieldIssue {
  field: IssueField;
  text: string;
}

/** A model Kie refused, with live alternatives the form offers as "Use <model>". */
export interface UnavailableView {
  model: string;
  alternatives: { id: string; label: string }[];
}

export type GenerateHostMessage =
  | {
      type: 'init';
      models: ModelEntry[];
      catalog: CatalogView;
      form: FormState;
      images: ImageView[];
      keyPresent: boolean;
      maxImageBytes: number;
      /** Names of values the last model switch (a preset, "Use <model>") could not keep. */
      dropped?: string[];
      /** The model asked for (a setting, an old task) that Kie no longer serves, replaced by the form's. */
      replaced?: string;
    }
  | { type: 'catalog'; models: ModelEntry[]; catalog: CatalogView }
  | { type: 'keyStatus'; present: boolean }
  /** `keyRejected`: Kie refused the key, so the webview offers Set API Key next to the error. */
  | { type: 'credits'; credits: number | null; error?: string; keyRejected?: boolean }
  /** An image attached to a slot (or why it could not be). */
  | { type: 'image'; role: ImageRole; image?: ImageView; error?: string }
  /** The host's validation of the current form; `forSubmit` when it answers a Generate. */
  | { type: 'issues'; issues: FieldIssue[]; forSubmit: boolean }
  | { type: 'submitting' }
  | { type: 'submitted'; taskIds: string[] }
  | { type: 'submitFailed'; message: string; field?: IssueField; unavailable?: UnavailableView };

export type GenerateWebviewMessage =
  | { type: 'ready' }
  | { type: 'submit'; form: FormState }
  | { type: 'formChanged'; form: FormState }
  | { type: 'pickImage'; role: ImageRole }
  /** A file dropped from the Explorer: the URI string VS Code put on the drag data. */
  | { type: 'dropImage'; role: ImageRole; uri: string }
  /** A path typed or pasted into a slot, relative to the workspace or absolute. */
  | { type: 'pathImage'; role: ImageRole; path: string }
  | { type: 'savePromptFile'; form: FormState }
  | { type: 'setApiKey' }
  | { type: 'refreshCredits' };

export interface PlayerView {
  /** The task's local id; the webview keeps it as its state so the panel can be restored after a reload. */
  taskId: string;
  /** `asWebviewUri` of the local video. */
  src: string;
  fileName: string;
  prompt: string;
  modelLabel: string;
  settings: { label: string; value: string }[];
  /** True when the audio track is AAC, which VS Code's desktop build cannot decode. */
  silentPreview: boolean;
}

export type PlayerHostMessage = { type: 'init'; video: PlayerView };

export type PlayerWebviewMessage =
  | { type: 'ready' }
  | { type: 'reveal' }
  | { type: 'openExternal' }
  | { type: 'copyPrompt' }
  | { type: 'generateAgain' };

/** A plain data object: what structured clone delivers. A custom prototype could smuggle in inherited fields. */
const isObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};
const isString = (v: unknown, max = 100_000): v is string => typeof v === 'string' && v.length <= max;

const isOptionValue = (v: unknown): v is OptionValue =>
  typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || isString(v, 10_000);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const IMAGE_KEY = /^img\d{1,6}$/;
const isImageKey = (v: unknown): v is string => typeof v === 'string' && IMAGE_KEY.test(v);
const OPTION_NAME = /^[A-Za-z_][\w.-]{0,99}$/;
const ROLES: readonly ImageRole[] = ['first', 'last', 'references'];
const isRole = (v: unknown): v is ImageRole => ROLES.includes(v as ImageRole);

/**
 * Returns the request if every field has the right type; whether the model takes the values is for
 * choiceValidation. Images must be keys the host handed out; unknown fields are left behind.
 */
export function parseRequest(v: unknown): GenerationRequest | undefined {
  if (!isObject(v)) return undefined;
  const { model, prompt, aspect, duration, resolution, audio, seed, negative, options, images } = v;
  if (!isString(model, 200) || model === '' || !isString(prompt, 50_000)) return undefined;
  const out: GenerationRequest = { model, prompt };
  if (aspect !== undefined) {
    if (!isString(aspect, 50)) return undefined;
    out.aspect = aspect;
  }
  if (resolution !== undefined) {
    if (!isString(resolution, 50)) return undefined;
    out.resolution = resolution;
  }
  if (negative !== undefined) {
    if (!isString(negative, 10_000)) return undefined;
    out.negative = negative;
  }
  if (duration !== undefined) {
    if (!isFiniteNumber(duration)) return undefined;
    out.duration = duration;
  }
  if (seed !== undefined) {
    if (!isFiniteNumber(seed)) return undefined;
    out.seed = seed;
  }
  if (audio !== undefined) {
    if (typeof audio !== 'boolean') return undefined;
    out.audio = audio;
  }
  if (options !== undefined) {
    if (!isObject(options)) return undefined;
    const entries = Object.entries(options);
    if (entries.length > 100 || !entries.every(([k, x]) => OPTION_NAME.test(k) && isOptionValue(x))) return undefined;
    out.options = Object.fromEntries(entries) as Record<string, OptionValue>;
  }
  if (images !== undefined) {
    if (!isObject(images)) return undefined;
    const { first, last, references } = images;
    const img: NonNullable<GenerationRequest['images']> = {};
    if (first !== undefined) {
      if (!isImageKey(first)) return undefined;
      img.first = first;
    }
    if (last !== undefined) {
      if (!isImageKey(last)) return undefined;
      img.last = last;
    }
    if (references !== undefined) {
      if (!Array.isArray(references) || references.length > 50 || !references.every(isImageKey)) return undefined;
      img.references = [...references];
    }
    out.images = img;
  }
  return out;
}

export function parseFormState(v: unknown): FormState | undefined {
  if (!isObject(v)) return undefined;
  const request = parseRequest(v.request);
  const { variants } = v;
  if (!request || typeof variants !== 'number' || !Number.isInteger(variants) || variants < 1 || variants > MAX_VARIANTS) return undefined;
  return { request, variants };
}

export function parseGenerateWebviewMessage(v: unknown): GenerateWebviewMessage | undefined {
  if (!isObject(v) || typeof v.type !== 'string') return undefined;
  switch (v.type) {
    case 'ready':
    case 'setApiKey':
    case 'refreshCredits':
      return { type: v.type };
    case 'submit':
    case 'formChanged':
    case 'savePromptFile': {
      const form = parseFormState(v.form);
      return form ? { type: v.type, form } : undefined;
    }
    case 'pickImage':
      return isRole(v.role) ? { type: 'pickImage', role: v.role } : undefined;
    case 'dropImage':
      return isRole(v.role) && isString(v.uri, 4096) ? { type: 'dropImage', role: v.role, uri: v.uri } : undefined;
    case 'pathImage':
      return isRole(v.role) && isString(v.path, 4096) ? { type: 'pathImage', role: v.role, path: v.path } : undefined;
    default:
      return undefined;
  }
}

export function parsePlayerWebviewMessage(v: unknown): PlayerWebviewMessage | undefined {
  if (!isObject(v)) return undefined;
  switch (v.type) {
    case 'ready':
    case 'reveal':
    case 'openExternal':
    case 'copyPrompt':
    case 'generateAgain':
      return { type: v.type };
    default:
      return undefined;
  }
}

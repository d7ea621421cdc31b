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
  /**
   * `retryable: false`: the task may exist at Kie (and be charged), so Generate stays disabled until
   * the user changes the form: pressing it again must be a decision, not a reflex.
   */
  | { type: 'submitFailed'; message: string; field?: IssueField; unavailable?: UnavailableView; retryable?: boolean };

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
  /** The task's local id, when the video is in the history; kept as the webview state so the panel can be restored after a reload. */
  taskId: string | null;
  /** `asWebviewUri` of the local video; empty when the file is missing. */
  src: string;
  fileName: string;
  /** From the task or the video's sidecar; null for an MP4 that Sora did not make. */
  prompt: string | null;
  modelLabel: string | null;
  /** The credits the task really consumed and how long it took, when known: shown next to the title. */
  cost: { credits: number | null; elapsed: string | null };
  settings: { label: string; value: string }[];
  /** True when the audio track is AAC, which VS Code's desktop build cannot decode. */
  silentPreview: boolean;
  /** ffmpeg was found, so a preview with audible (Opus) sound can be made. */
  canMakeAudible: boolean;
  /** `asWebviewUri` of an audible preview made earlier, to play instead of the original. */
  audibleSrc: string | null;
  /** Which actions make sense for this video (Generate Again needs the settings that made it). */
  actions: { generateAgain: boolean; copyPrompt: boolean; continueFromLastFrame: boolean };
  /** The host wants the first frame as the video's thumbnail (a Sora video that has none yet). */
  wantThumbnail: boolean;
}

/** Why a frame is captured: "continue" is the last frame (the next shot's first), "thumbnail" the first. */
export type FramePurpose = 'continue' | 'thumbnail';

/** Largest decoded PNG a frame may be (a 4K frame is well under it); bigger messages are refused. */
export const MAX_FRAME_PNG_BYTES = 24 * 1024 * 1024;
/** A thumbnail is scaled down in the webview to at most this width. */
export const THUMBNAIL_WIDTH = 320;

export type PlayerHostMessage =
  | { type: 'init'; video: PlayerView }
  | { type: 'audiblePreview'; state: 'working' }
  | { type: 'audiblePreview'; state: 'ready'; src: string }
  | { type: 'audiblePreview'; state: 'failed'; message: string }
  /** The host finished with a frame (saved or refused), so the button that asked for it is usable again. */
  | { type: 'frameDone'; purpose: FramePurpose }
  /** "Continue from Last Frame" chosen outside the page (the Sora view): do what the button does. */
  | { type: 'continueFromLastFrame' };

export type PlayerWebviewMessage =
  | { type: 'ready' }
  | { type: 'reveal' }
  | { type: 'openExternal' }
  | { type: 'copyPrompt' }
  | { type: 'generateAgain' }
  | { type: 'makeAudiblePreview' }
  /** A frame drawn from the decoded video on a canvas: PNG bytes as base64. */
  | { type: 'frame'; purpose: FramePurpose; png: string }
  | { type: 'frameFailed'; purpose: FramePurpose; reason: string };

/** One video of the compare view as the webview sees it. */
export interface CompareTakeView {
  taskId: string;
  /** `asWebviewUri` of the video. */
  src: string;
  fileName: string;
  seed: string | null;
  credits: number | null;
}

export interface CompareView {
  title: string;
  takes: CompareTakeView[];
  /** The take already kept, if any. */
  keptTaskId: string | null;
}

/** Where each video of the compare view is, as the webview last reported it. */
export interface ComparePlayback {
  takes: { taskId: string; paused: boolean; time: number }[];
}

export type CompareHostMessage =
  | { type: 'init'; view: CompareView }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'seek'; time: number }
  | { type: 'kept'; taskId: string }
  | { type: 'keepFailed'; taskId: string };

export type CompareWebviewMessage = { type: 'ready' } | { type: 'keep'; taskId: string } | ({ type: 'playback' } & ComparePlayback);

export const MAX_COMPARE_TAKES = 4;

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

const FRAME_PURPOSES: readonly FramePurpose[] = ['continue', 'thumbnail'];
const isFramePurpose = (v: unknown): v is FramePurpose => FRAME_PURPOSES.includes(v as FramePurpose);
/** Base64 of at most MAX_FRAME_PNG_BYTES: checked on the string before anything decodes it. */
const MAX_FRAME_BASE64 = Math.ceil(MAX_FRAME_PNG_BYTES / 3) * 4;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function parsePlayerWebviewMessage(v: unknown): PlayerWebviewMessage | undefined {
  if (!isObject(v)) return undefined;
  switch (v.type) {
    case 'ready':
    case 'reveal':
    case 'openExternal':
    case 'copyPrompt':
    case 'generateAgain':
    case 'makeAudiblePreview':
      return { type: v.type };
    case 'frame':
      if (!isFramePurpose(v.purpose) || !isString(v.png, MAX_FRAME_BASE64) || v.png.length === 0 || v.png.length % 4 !== 0 || !BASE64.test(v.png)) return undefined;
      return { type: 'frame', purpose: v.purpose, png: v.png };
    case 'frameFailed':
      return isFramePurpose(v.purpose) && isString(v.reason, 500) ? { type: 'frameFailed', purpose: v.purpose, reason: v.reason } : undefined;
    default:
      return undefined;
  }
}

const isTaskId = (v: unknown): v is string => isString(v, 4096) && v.length > 0;

export function parseCompareWebviewMessage(v: unknown): CompareWebviewMessage | undefined {
  if (!isObject(v)) return undefined;
  switch (v.type) {
    case 'ready':
      return { type: 'ready' };
    case 'keep':
      return isTaskId(v.taskId) ? { type: 'keep', taskId: v.taskId } : undefined;
    case 'playback': {
      if (!Array.isArray(v.takes) || v.takes.length > MAX_COMPARE_TAKES) return undefined;
      const takes: ComparePlayback['takes'] = [];
      for (const t of v.takes as unknown[]) {
        if (!isObject(t) || !isTaskId(t.taskId) || typeof t.paused !== 'boolean' || typeof t.time !== 'number' || !Number.isFinite(t.time) || t.time < 0) return undefined;
        takes.push({ taskId: t.taskId, paused: t.paused, time: t.time });
      }
      return { type: 'playback', takes };
    }
    default:
      return undefined;
  }
}

/**
 * Every message between the extension host and its webviews, defined once for both sides. The host
 * validates what it receives with the `parse…` functions below; nothing from a webview is trusted.
 * No `vscode` and no DOM here: both bundles import this file.
 */
import type { AspectRatio, ProSize } from '../core/types';

/** A model as the form shows it (derived from the catalog; no functions, serialisable). */
export interface ModelOption {
  id: string;
  label: string;
  image: 'none' | 'required' | 'optional';
  aspectRatios: AspectRatio[];
  durations: string[];
  sizes: ProSize[];
  watermarkOption: boolean;
  maxPromptLength: number;
  /** Credit hint per `<duration>` / `<duration>/<size>` / `*`. */
  creditCost: Record<string, number>;
  retiredNote?: string;
  alternative?: string;
}

export interface FormState {
  prompt: string;
  model: string;
  aspectRatio: AspectRatio;
  duration: string;
  size: ProSize;
  removeWatermark: boolean;
}

export type FormField = 'prompt' | 'model' | 'aspectRatio' | 'duration' | 'size' | 'image' | 'key';

/** The attached image as the webview sees it: a webview URI for the preview, never a file path. */
export interface ImageView {
  name: string;
  /** `asWebviewUri` of the image, for the <img> preview. */
  src: string;
  bytes: number;
}

export type GenerateHostMessage =
  | { type: 'init'; models: ModelOption[]; form: FormState; image: ImageView | null; keyPresent: boolean; maxImageBytes: number }
  | { type: 'keyStatus'; present: boolean }
  /** `keyRejected`: Kie refused the key, so the webview offers Set API Key next to the error. */
  | { type: 'credits'; credits: number | null; error?: string; keyRejected?: boolean }
  | { type: 'image'; image: ImageView | null; error?: string }
  | { type: 'validation'; errors: Partial<Record<FormField, string>> }
  | { type: 'submitting' }
  | { type: 'submitted'; taskId: string }
  /**
   * `retryable: false`: the task may exist at Kie (and be charged), so Generate stays disabled until
   * the user changes the form: pressing it again must be a decision, not a reflex.
   */
  | { type: 'submitFailed'; message: string; field?: FormField; retryable?: boolean };

export type GenerateWebviewMessage =
  | { type: 'ready' }
  | { type: 'submit'; form: FormState }
  | { type: 'formChanged'; form: FormState }
  | { type: 'pickImage' }
  | { type: 'removeImage' }
  /** A file dropped from the Explorer: the URI string VS Code put on the drag data. */
  | { type: 'dropImage'; uri: string }
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

/** Returns the form if every field has the right type; value ranges are checked by core validation. */
export function parseFormState(v: unknown): FormState | undefined {
  if (!isObject(v)) return undefined;
  const { prompt, model, aspectRatio, duration, size, removeWatermark } = v;
  if (!isString(prompt, 50_000) || !isString(model, 200) || !isString(duration, 10)) return undefined;
  if (aspectRatio !== 'landscape' && aspectRatio !== 'portrait') return undefined;
  if (size !== 'standard' && size !== 'high') return undefined;
  if (typeof removeWatermark !== 'boolean') return undefined;
  return { prompt, model, aspectRatio, duration, size, removeWatermark };
}

export function parseGenerateWebviewMessage(v: unknown): GenerateWebviewMessage | undefined {
  if (!isObject(v) || typeof v.type !== 'string') return undefined;
  switch (v.type) {
    case 'ready':
    case 'pickImage':
    case 'removeImage':
    case 'setApiKey':
    case 'refreshCredits':
      return { type: v.type };
    case 'submit':
    case 'formChanged': {
      const form = parseFormState(v.form);
      return form ? { type: v.type, form } : undefined;
    }
    case 'dropImage':
      return isString(v.uri, 4096) ? { type: 'dropImage', uri: v.uri } : undefined;
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

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

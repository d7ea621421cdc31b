import * as path from 'node:path';
import type { Node, Pair } from 'yaml';
import { yaml } from './yamlLib';
import type { GenerationRequest, ImageChoices, OptionValue } from '../models/spec';

/**
 * A prompt file (`*.video.md`): YAML front matter between `---` lines, then the prompt as the Markdown
 * body. This is a public contract (docs/prompt-files.md): users keep these files in their repositories,
 * so a key is never silently ignored, and every problem carries the place it is at.
 *
 * Pure: no disk access. Image paths are resolved against the file's folder but not opened.
 */

export const PROMPT_FILE_SUFFIX = '.video.md';
export const MAX_VARIANTS = 4;

/** Zero-based, like VS Code's positions; `end` is exclusive. */
export interface SourceRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type PromptFileProblemCode = 'noFrontMatter' | 'unclosedFrontMatter' | 'yaml' | 'notAMapping' | 'modelMissing' | 'unknownKey' | 'badValue' | 'variants';

export interface PromptFileProblem {
  code: PromptFileProblemCode;
  range: SourceRange;
  /** For the message: the key, the expected type, a suggested key... */
  values?: Record<string, string | number>;
  /** An English sentence for logs, tests and agents; the editor layer words it in the user's language. */
  message: string;
}

/** Where a key of the front matter is written: the whole `key: value`, and the value alone. */
export interface KeyPlace {
  key: SourceRange;
  value: SourceRange;
}

export interface ParsedPromptFile {
  /** Undefined when the file has no usable model (see `problems`). Image paths are absolute. */
  request?: GenerationRequest;
  variants: number;
  problems: PromptFileProblem[];
  /**
   * Where each key is: top-level keys by name (`model`, `image`...), model-own options as `options.<name>`,
   * and reference images as `references.<index>`.
   */
  places: Record<string, KeyPlace>;
  /** The front matter (including its `---` lines) and the body, for diagnostics about the whole. */
  frontMatter: SourceRange;
  body: SourceRange;
}

type Kind = 'string' | 'number' | 'integer' | 'boolean' | 'path' | 'paths' | 'mapping';

const KEYS: Record<string, Kind> = {
  model: 'string',
  aspect: 'string',
  duration: 'number',
  resolution: 'string',
  audio: 'boolean',
  image: 'path',
  last_frame: 'path',
  references: 'paths',
  seed: 'integer',
  negative: 'string',
  variants: 'integer',
  options: 'mapping',
};

/** Names people bring from the models' own schemas or other tools, and the key this format uses. */
const ALIASES: Record<string, string> = {
  aspect_ratio: 'aspect',
  ratio: 'aspect',
  n_frames: 'duration',
  first_frame: 'image',
  first_frame_url: 'image',
  image_url: 'image',
  image_urls: 'image',
  last_frame_url: 'last_frame',
  lastframe: 'last_frame',
  reference_images: 'references',
  reference_image_urls: 'references',
  negative_prompt: 'negative',
  sound: 'audio',
  generate_audio: 'audio',
  mode: 'resolution',
  variant: 'variants',
};

export const PROMPT_FILE_KEYS: readonly string[] = Object.keys(KEYS);

class Lines {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  at(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: offset - this.starts[lo] };
  }
  range(start: number, end: number): SourceRange {
    const a = this.at(start);
    const b = this.at(Math.max(start, end));
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }
}

interface Split {
  /** Offsets in the whole text. */
  yamlStart: number;
  yamlEnd: number;
  frontEnd: number;
  bodyStart: number;
}

const FENCE = /^---[ \t]*\r?$/;
const CLOSE = /^(---|\.\.\.)[ \t]*\r?$/;

function splitFrontMatter(text: string, lines: Lines, problems: PromptFileProblem[]): Split | undefined {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const firstEnd = text.indexOf('\n', bom);
  const first = text.slice(bom, firstEnd < 0 ? text.length : firstEnd);
  if (!FENCE.test(first)) {
    problems.push({
      code: 'noFrontMatter',
      range: lines.range(bom, bom + first.length),
      message: 'A prompt file starts with front matter: a line "---", the settings (model: veo3_fast ...), another "---", then the prompt.',
    });
    return undefined;
  }
  const yamlStart = firstEnd < 0 ? text.length : firstEnd + 1;
  let at = yamlStart;
  while (at < text.length) {
    const end = text.indexOf('\n', at);
    const line = text.slice(at, end < 0 ? text.length : end);
    if (CLOSE.test(line)) {
      const bodyStart = end < 0 ? text.length : end + 1;
      return { yamlStart, yamlEnd: at, frontEnd: at + line.length, bodyStart };
    }
    if (end < 0) break;
    at = end + 1;
  }
  problems.push({ code: 'unclosedFrontMatter', range: lines.range(bom, bom + first.length), message: 'The front matter is not closed: add a line "---" after the settings, then the prompt.' });
  return undefined;
}

/** The prompt: the body without HTML comments (notes for people), trimmed. */
export function promptOfBody(body: string): string {
  return body.replace(/<!--[\s\S]*?-->/g, '').trim();
}

function scalarValue(node: Node | null | undefined): unknown {
  const Y = yaml();
  return Y.isScalar(node) ? node.value : undefined;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return JSON.stringify(v);
}

/**
 * Parses a prompt file. `filePath` (absolute) resolves relative image paths; the result's request has
 * absolute paths, ready for the task service, which checks and uploads them.
 */
export function parsePromptFile(text: string, filePath: string): ParsedPromptFile {
  const Y = yaml();
  const lines = new Lines(text);
  const problems: PromptFileProblem[] = [];
  const places: Record<string, KeyPlace> = {};
  const whole = lines.range(0, text.length);
  const split = splitFrontMatter(text, lines, problems);
  if (!split) return { variants: 1, problems, places, frontMatter: lines.range(0, 0), body: whole };

  const frontMatter = lines.range(0, split.frontEnd);
  const body = lines.range(split.bodyStart, text.length);
  const bodyText = text.slice(split.bodyStart);
  const result: ParsedPromptFile = { variants: 1, problems, places, frontMatter, body };
  const yamlText = text.slice(split.yamlStart, split.yamlEnd);
  const doc = Y.parseDocument(yamlText, { lineCounter: new Y.LineCounter(), prettyErrors: false, uniqueKeys: true });
  const at = (r: readonly number[] | undefined, fallbackEnd = split.yamlStart): SourceRange =>
    r ? lines.range(split.yamlStart + r[0], split.yamlStart + r[1]) : lines.range(split.yamlStart, fallbackEnd);
  for (const e of doc.errors) {
    problems.push({ code: 'yaml', range: at(e.pos), values: { detail: e.message.split('\n')[0] }, message: `The front matter is not valid YAML: ${e.message.split('\n')[0]}` });
  }
  if (doc.errors.length > 0) return result;
  const contents = doc.contents;
  if (contents !== null && !Y.isMap(contents)) {
    problems.push({ code: 'notAMapping', range: at(contents.range ?? undefined), message: 'The front matter holds settings as "key: value" lines.' });
    return result;
  }

  const dir = path.dirname(filePath);
  const resolve = (p: string): string => path.resolve(dir, p);
  const request: Partial<GenerationRequest> = { prompt: promptOfBody(bodyText) };
  const images: ImageChoices = {};
  let model: string | undefined;

  const bad = (place: SourceRange, key: string, expected: string, got: unknown): void => {
    problems.push({ code: 'badValue', range: place, values: { key, expected, value: describe(got) }, message: `"${key}" takes ${expected}, not ${describe(got)}.` });
  };

  for (const pair of (contents?.items ?? []) as Pair<Node, Node | null>[]) {
    const keyNode = pair.key;
    const key = String(scalarValue(keyNode) ?? '');
    const keyRange = at(keyNode?.range ?? undefined);
    const valueRange = pair.value?.range ? at(pair.value.range) : keyRange;
    const place: KeyPlace = { key: { ...keyRange, endLine: valueRange.endLine, endColumn: valueRange.endColumn }, value: valueRange };
    const kind = KEYS[key];
    if (!kind) {
      const suggestion = ALIASES[key.toLowerCase()] ?? PROMPT_FILE_KEYS.find((k) => k === key.toLowerCase());
      problems.push({
        code: 'unknownKey',
        range: keyRange,
        values: { key, ...(suggestion ? { suggestion } : {}) },
        message: suggestion
          ? `Prompt files have no key "${key}": write "${suggestion}". A model's own fields go under "options:".`
          : `Prompt files have no key "${key}". A model's own fields go under "options:".`,
      });
      continue;
    }
    places[key] = place;
    const value = pair.value;
    const v = scalarValue(value);
    // An empty value ("seed:") means "not set", as if the line were not there.
    if (Y.isScalar(value) && (v === null || v === '')) continue;
    if (value === null) continue;
    switch (kind) {
      case 'string':
        if (typeof v === 'string' || typeof v === 'number') {
          const s = String(v);
          if (key === 'model') model = s.trim();
          else if (key === 'aspect') request.aspect = s;
          else if (key === 'resolution') request.resolution = s;
          else if (key === 'negative') request.negative = s;
        } else bad(valueRange, key, 'text', Y.isScalar(value) ? v : value.toJSON());
        break;
      case 'number': {
        const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.replace(/s$/i, '')) : NaN;
        if (Number.isFinite(n)) request.duration = n;
        else bad(valueRange, key, 'a number of seconds', Y.isScalar(value) ? v : value.toJSON());
        break;
      }
      case 'integer':
        if (typeof v === 'number' && Number.isInteger(v)) {
          if (key === 'seed') request.seed = v;
          else if (v < 1 || v > MAX_VARIANTS) {
            problems.push({ code: 'variants', range: valueRange, values: { value: v, max: MAX_VARIANTS }, message: `"variants" is 1 to ${MAX_VARIANTS}, not ${v}.` });
          } else result.variants = v;
        } else bad(valueRange, key, 'a whole number', Y.isScalar(value) ? v : value.toJSON());
        break;
      case 'boolean':
        if (typeof v === 'boolean') request.audio = v;
        else bad(valueRange, key, 'true or false', Y.isScalar(value) ? v : value.toJSON());
        break;
      case 'path':
        if (typeof v === 'string' && v.trim() !== '') {
          if (key === 'image') images.first = resolve(v.trim());
          else images.last = resolve(v.trim());
        } else bad(valueRange, key, 'a path to an image', Y.isScalar(value) ? v : value.toJSON());
        break;
      case 'paths': {
        const items = Y.isSeq(value) ? value.items : Y.isScalar(value) ? [value] : undefined;
        if (!items) {
          bad(valueRange, key, 'a list of image paths', value.toJSON());
          break;
        }
        const refs: string[] = [];
        items.forEach((item, i) => {
          const p = scalarValue(item as Node);
          const r = at((item as Node).range ?? undefined);
          if (typeof p === 'string' && p.trim() !== '') {
            refs.push(resolve(p.trim()));
            places[`references.${refs.length - 1}`] = { key: r, value: r };
          } else bad(r, `references[${i}]`, 'a path to an image', p);
        });
        if (refs.length) images.references = refs;
        break;
      }
      case 'mapping': {
        if (!Y.isMap(value)) {
          bad(valueRange, key, "a model's own fields as \"name: value\" lines", Y.isScalar(value) ? v : value.toJSON());
          break;
        }
        const options: Record<string, OptionValue> = {};
        for (const op of value.items as Pair<Node, Node | null>[]) {
          const name = String(scalarValue(op.key) ?? '');
          const r = at(op.key?.range ?? undefined);
          const vr = op.value?.range ? at(op.value.range) : r;
          places[`options.${name}`] = { key: { ...r, endLine: vr.endLine, endColumn: vr.endColumn }, value: vr };
          const ov = scalarValue(op.value);
          if (typeof ov === 'string' || typeof ov === 'number' || typeof ov === 'boolean') options[name] = ov;
          else if (ov === null || ov === undefined) {
            if (op.value && !Y.isScalar(op.value)) bad(vr, `options.${name}`, 'a single value', op.value.toJSON());
          }
        }
        if (Object.keys(options).length) request.options = options;
        break;
      }
    }
  }

  if (!model) {
    problems.push({ code: 'modelMissing', range: places.model?.key ?? lines.range(0, 3), message: 'Say which model makes the video: add a line "model: veo3_fast" (or another model id) to the front matter.' });
    return result;
  }
  if (images.first || images.last || images.references) request.images = images;
  result.request = { ...(request as GenerationRequest), model };
  return result;
}

export function isPromptFile(filePath: string): boolean {
  return filePath.toLowerCase().endsWith(PROMPT_FILE_SUFFIX);
}

/** `intro.video.md` → `intro`: the name its video and sidecar take. */
export function promptFileBaseName(filePath: string): string {
  const base = path.basename(filePath);
  return isPromptFile(base) ? base.slice(0, -PROMPT_FILE_SUFFIX.length) : base.replace(/\.[^.]*$/, '');
}

import { checkImageFile, ImageCheckError, type ImageProblem } from '../media/imageCheck';
import { validateChoices } from '../models/choiceValidation';
import type { ChoiceIssue, GenerationRequest, IssueCode, ModelSpec } from '../models/spec';
import type { ParsedPromptFile, PromptFileProblemCode, SourceRange } from './promptFile';

/**
 * Everything wrong with a prompt file, as data with a place: what the parser found, what the model's
 * spec refuses (validateChoices, the same checks as the form) and what is wrong with its images. The
 * editor turns these into diagnostics in the user's language; batches refuse a file that has any.
 */

export type ImageProblemCode = 'imageMissing' | 'imageUnsupported' | 'imageTooLarge' | 'imageEmpty';

export type PromptDiagnosticCode = PromptFileProblemCode | IssueCode | ImageProblemCode;

export interface PromptFix {
  /** What the fix puts in place of `range`. */
  text: string;
  range: SourceRange;
}

export interface PromptDiagnostic {
  code: PromptDiagnosticCode;
  range: SourceRange;
  values?: Record<string, string | number>;
  /** English, for logs, tests and agents. */
  message: string;
  /** A replacement that repairs it (a live model for a retired or unknown one, the key a misspelt one means). */
  fix?: PromptFix;
}

export interface ModelLookup {
  spec(id: string): ModelSpec | undefined;
  /** Live models to offer instead of an unknown or retired one, best first. */
  alternatives(id: string): string[];
}

function issuePlace(parsed: ParsedPromptFile, issue: ChoiceIssue): SourceRange {
  const p = parsed.places;
  const f = issue.field;
  if (f === 'prompt') return parsed.body;
  if (f === 'model') return p.model?.value ?? parsed.frontMatter;
  if (f === 'first') return p.image?.key ?? parsed.frontMatter;
  if (f === 'last') return p.last_frame?.key ?? parsed.frontMatter;
  if (f === 'references') return p.references?.key ?? parsed.frontMatter;
  if (f.startsWith('option:')) return p[`options.${f.slice(7)}`]?.key ?? p.options?.key ?? parsed.frontMatter;
  return p[f]?.key ?? firstLine(parsed.frontMatter);
}

function firstLine(r: SourceRange): SourceRange {
  return { line: r.line, column: 0, endLine: r.line, endColumn: 3 };
}

/** The parser's problems and the model's refusals, without touching the disk. */
export function diagnosePromptFile(parsed: ParsedPromptFile, models: ModelLookup): PromptDiagnostic[] {
  const out: PromptDiagnostic[] = parsed.problems.map((p) => ({
    code: p.code,
    range: p.range,
    ...(p.values ? { values: p.values } : {}),
    message: p.message,
    ...(p.code === 'unknownKey' && p.values?.suggestion ? { fix: { text: String(p.values.suggestion), range: p.range } } : {}),
  }));
  const request = parsed.request;
  if (!request) return out;
  const modelPlace = parsed.places.model?.value ?? parsed.frontMatter;
  const spec = models.spec(request.model);
  if (!spec) {
    const alt = models.alternatives(request.model)[0];
    out.push({
      code: 'unknownModel',
      range: modelPlace,
      values: { model: request.model, ...(alt ? { alternative: alt } : {}) },
      message: `Unknown model "${request.model}".${alt ? ` Use ${alt}?` : ''}`,
      ...(alt ? { fix: { text: alt, range: modelPlace } } : {}),
    });
    return out;
  }
  for (const issue of validateChoices(spec, request)) {
    const alt = issue.code === 'retired' ? (models.alternatives(request.model)[0] ?? spec.retired?.alternative) : undefined;
    out.push({
      code: issue.code,
      range: issuePlace(parsed, issue),
      values: { ...issue.values, ...(alt ? { alternative: alt } : {}), model: spec.label },
      message: issue.message,
      ...(alt ? { fix: { text: alt, range: modelPlace } } : {}),
    });
  }
  return out;
}

const IMAGE_PROBLEM: Record<ImageProblem['reason'], ImageProblemCode> = {
  notAFile: 'imageMissing',
  unreadable: 'imageMissing',
  empty: 'imageEmpty',
  tooLarge: 'imageTooLarge',
  otherFormat: 'imageUnsupported',
  unknownFormat: 'imageUnsupported',
};

/** Why an image cannot be sent, or undefined when it can: the form's own check, as a diagnostic code. */
export async function imageProblem(filePath: string): Promise<ImageProblemCode | undefined> {
  try {
    await checkImageFile(filePath);
    return undefined;
  } catch (e) {
    if (e instanceof ImageCheckError) return IMAGE_PROBLEM[e.problem.reason];
    throw e;
  }
}

const IMAGE_MESSAGES: Record<ImageProblemCode, string> = {
  imageMissing: 'There is no image at {path}.',
  imageEmpty: 'The image {path} is empty.',
  imageTooLarge: 'The image {path} is over 10 MB, the most Kie accepts.',
  imageUnsupported: 'The image {path} is not a PNG, JPEG or WebP file.',
};

/** Checks every image the file names, each at the place it is written. */
export async function diagnoseImages(parsed: ParsedPromptFile, request: GenerationRequest | undefined = parsed.request): Promise<PromptDiagnostic[]> {
  const images = request?.images;
  if (!images) return [];
  const named: [string, SourceRange][] = [];
  if (images.first) named.push([images.first, parsed.places.image?.value ?? parsed.frontMatter]);
  if (images.last) named.push([images.last, parsed.places.last_frame?.value ?? parsed.frontMatter]);
  (images.references ?? []).forEach((p, i) => named.push([p, parsed.places[`references.${i}`]?.value ?? parsed.frontMatter]));
  const found = await Promise.all(named.map(async ([p, range]) => ({ p, range, code: await imageProblem(p) })));
  return found
    .filter((f): f is { p: string; range: SourceRange; code: ImageProblemCode } => f.code !== undefined)
    .map((f) => ({ code: f.code, range: f.range, values: { path: f.p }, message: IMAGE_MESSAGES[f.code].replace('{path}', f.p) }));
}

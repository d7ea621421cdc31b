/**
 * What a model is, as data. Every model Kie serves names the same ideas differently (`aspect_ratio` or
 * `ratio`, a duration as "5" or 5, the start image as `image_urls`, `image_url` or `first_frame_url`), so a
 * spec says, per product concept, which field of the model carries it and in what form. Nothing else in
 * the product knows a model's field names: the form, prompt files, batches and agent tools all go
 * through `requestBuilder`, `choiceValidation` and `pricing` with a spec and the user's choices.
 *
 * Pure data and types, no Node or DOM imports: the webview bundles this folder too.
 */
import type { ApiFamily } from '../types';

export type { ApiFamily };

/** The product's concepts, each of which a model may or may not take. */
export type Concept = 'aspect' | 'duration' | 'resolution' | 'audio' | 'seed' | 'negative';

export const CONCEPTS: readonly Concept[] = ['aspect', 'duration', 'resolution', 'audio', 'seed', 'negative'];

/** What a model starts from, for the localized "kind" shown beside its name. */
export type ModelKind = 'text' | 'image' | 'frames' | 'reference';

export type OptionValue = string | number | boolean;

/** One allowed value of a choice; `means` lets a value carry over to a model that spells it differently. */
export interface ChoiceValue {
  value: string | number;
  /** The common name of this value (`720p` for Kling's `std`), used when switching models. */
  means?: string;
}

/** One option a model takes, mapped from a product concept or one of the model's own fields. */
export interface OptionSpec {
  /** The product concept this option carries; absent for a model-own field (shown by its schema name). */
  concept?: Concept;
  /** The model's own field name (inside `input` for jobs, top-level for Veo). */
  field: string;
  type: 'choice' | 'boolean' | 'integer' | 'number' | 'text';
  /** For `choice`: the allowed values, in the order the form offers them. */
  values?: readonly ChoiceValue[];
  min?: number;
  max?: number;
  /** Sent when the user chose nothing: Kie was seen not applying its own defaults for some models. */
  default?: OptionValue;
  /** How the value travels: a duration may be a number in the product and the string "5" on the wire. */
  wire?: 'string' | 'number';
  /** Kie requires the field; an option without a default must then be chosen. */
  required?: boolean;
  /** For model-own fields: Kie's description, shown as the field's hint. */
  description?: string;
  /** Maximum length of a text value. */
  maxLength?: number;
}

/** Where an image role goes on the wire. `list` fields take an array; first and last may share one. */
export interface ImageSlot {
  field: string;
  list?: boolean;
  required?: boolean;
}

export interface ReferenceSlot {
  field: string;
  max: number;
  min?: number;
}

export interface ImageSlots {
  first?: ImageSlot;
  /** A last frame needs a first frame. */
  last?: ImageSlot;
  references?: ReferenceSlot;
  /** Frames and references are alternatives: a request carries one or the other, never both. */
  exclusive?: boolean;
  /** Only these durations are allowed when references are given (Veo: 8 s). */
  referenceDurations?: readonly number[];
}

/** A field whose value follows from which images were given (Veo's `generationType`). */
export interface DerivedField {
  field: string;
  byImages: { none: string; frames?: string; references?: string };
}

/**
 * Credits per second of output or per video, looked up by the listed concepts' values joined with `|`
 * (`*` matches anything). A hint dated `checked`; Kie's `pricingDesc` is shown beside it.
 */
export interface PriceRule {
  unit: 'second' | 'video';
  keyBy: readonly Concept[];
  table: Readonly<Record<string, number>>;
  /** The day the figures were checked against Kie's pricing feed. */
  checked: string;
}

/** A combination Kie refuses: when `when` holds, `only` lists what the other concept may be. */
export interface ChoiceConstraint {
  when: { concept: Concept; is: string | number };
  only: { concept: Concept; values: readonly (string | number)[] };
}

export interface PromptSpec {
  field: string;
  max: number;
  min?: number;
  /** A model that starts from an image may leave the prompt empty. */
  optional?: boolean;
}

export interface RetiredNote {
  /** Why, in one English sentence (the editor layer shows its own localized text). */
  note: string;
  /** The bundled model to offer instead. */
  alternative: string;
  /** When Kie stopped serving it. */
  since: string;
}

export interface ModelSpec {
  /** Product id: what settings, prompt files and the ledger store. */
  id: string;
  /** The `model` value Kie expects. */
  apiModel: string;
  provider: string;
  /** The model's proper name ("Kling 3.0"); the editor adds a localized kind beside it. */
  label: string;
  kind: ModelKind;
  family: ApiFamily;
  prompt: PromptSpec;
  images: ImageSlots;
  options: readonly OptionSpec[];
  /** Values every request carries (e.g. Kling's `multi_shots: false`). */
  constants?: Readonly<Record<string, OptionValue | readonly OptionValue[]>>;
  derived?: readonly DerivedField[];
  constraints?: readonly ChoiceConstraint[];
  price?: PriceRule;
  /** Kie's own pricing text, as it writes it. */
  pricingDesc?: string;
  /** What a run usually takes, for the poll scheduler until it has learned better. */
  typicalSeconds: number;
  retired?: RetiredNote;
  /** Where the spec came from: shipped with the product, or built from Kie's live schema. */
  source: 'bundled' | 'live';
}

/** What the user asked for, in the product's words. Images are local paths before upload, URLs after. */
export interface VideoChoices {
  prompt: string;
  aspect?: string;
  duration?: number;
  resolution?: string;
  audio?: boolean;
  seed?: number;
  negative?: string;
  /** A model's own fields by their schema names. */
  options?: Record<string, OptionValue>;
  images?: ImageChoices;
}

export interface ImageChoices {
  first?: string;
  last?: string;
  references?: string[];
}

/** A request as the product stores it: the spec id and the choices. */
export interface GenerationRequest extends VideoChoices {
  model: string;
}

/** Where a problem is: a concept, an image role, the prompt, the model, or a model-own field. */
export type IssueField = Concept | 'prompt' | 'model' | 'first' | 'last' | 'references' | `option:${string}`;

/** A problem with the choices, as data: the editor layer words it in the user's language. */
export type IssueCode =
  | 'promptEmpty'
  | 'promptTooLong'
  | 'promptTooShort'
  | 'notOffered'
  | 'notAllowed'
  | 'outOfRange'
  | 'required'
  | 'imageRequired'
  | 'lastNeedsFirst'
  | 'tooManyReferences'
  | 'tooFewReferences'
  | 'framesOrReferences'
  | 'referenceDuration'
  | 'unknownOption'
  | 'retired'
  | 'unknownModel'
  | 'schema';

export interface ChoiceIssue {
  field: IssueField;
  code: IssueCode;
  /** Values for the message: the allowed values, the limit, the length... */
  values?: Record<string, string | number>;
  /** An English sentence for logs, tests and agents. */
  message: string;
}

export function modelOption(spec: ModelSpec, concept: Concept): OptionSpec | undefined {
  return spec.options.find((o) => o.concept === concept);
}

export function ownOptions(spec: ModelSpec): OptionSpec[] {
  return spec.options.filter((o) => o.concept === undefined);
}

/** The first frame, last frame and references a model takes, for the form's image slots. */
export function imageRoles(spec: ModelSpec): ('first' | 'last' | 'references')[] {
  const roles: ('first' | 'last' | 'references')[] = [];
  if (spec.images.first) roles.push('first');
  if (spec.images.last) roles.push('last');
  if (spec.images.references) roles.push('references');
  return roles;
}

export function takesImages(spec: ModelSpec): boolean {
  return imageRoles(spec).length > 0;
}

import { sameMeaning } from './choices';
import { CONCEPTS, type Concept, type ModelSpec, type OptionSpec, type OptionValue, type VideoChoices } from './spec';

export interface CarriedChoices {
  choices: VideoChoices;
  /** What the new model cannot take, by concept, image role or option name, for "dropped: …". */
  dropped: string[];
}

function fitValue(from: OptionSpec | undefined, to: OptionSpec, v: OptionValue): OptionValue | undefined {
  if (to.type === 'choice') {
    const values = to.values ?? [];
    const fromMeaning = from?.values?.find((x) => x.value === v)?.means;
    const hit = values.find((x) => sameMeaning(x.value, String(v)) || (x.means !== undefined && sameMeaning(x.means, String(v))) || (fromMeaning !== undefined && sameMeaning(x.means ?? x.value, fromMeaning)));
    return hit?.value;
  }
  if (to.type === 'integer' || to.type === 'number') {
    const n = Number(v);
    if (!Number.isFinite(n)) return undefined;
    if ((to.min !== undefined && n < to.min) || (to.max !== undefined && n > to.max)) return undefined;
    return n;
  }
  if (to.type === 'boolean') return typeof v === 'boolean' ? v : undefined;
  return typeof v === 'string' ? v : undefined;
}

/**
 * Moves choices made for one model to another: every value that still applies is kept (a resolution
 * spelled differently is translated through its meaning), the rest is dropped and named, nothing is
 * sent by itself. Used when the form switches models and by "Use <model>" after a model went away.
 */
export function carryOver(from: ModelSpec | undefined, to: ModelSpec, choices: VideoChoices): CarriedChoices {
  const dropped: string[] = [];
  const out: VideoChoices = { prompt: choices.prompt };
  for (const concept of CONCEPTS) {
    const v = choices[concept];
    if (v === undefined || v === '') continue;
    const target = to.options.find((o) => o.concept === concept);
    const source = from?.options.find((o) => o.concept === concept);
    const fitted = target ? fitValue(source, target, v) : undefined;
    if (fitted === undefined) dropped.push(concept);
    else setConcept(out, concept, fitted);
  }
  for (const [field, v] of Object.entries(choices.options ?? {})) {
    const target = to.options.find((o) => o.concept === undefined && o.field === field);
    const fitted = target ? fitValue(from?.options.find((o) => o.field === field), target, v) : undefined;
    if (fitted === undefined) dropped.push(field);
    else out.options = { ...out.options, [field]: fitted };
  }
  const img = choices.images ?? {};
  const images: NonNullable<VideoChoices['images']> = {};
  if (img.first) {
    if (to.images.first) images.first = img.first;
    else if (to.images.references) images.references = [img.first];
    else dropped.push('first');
  }
  if (img.last) {
    if (to.images.last && images.first) images.last = img.last;
    else dropped.push('last');
  }
  if (img.references?.length) {
    if (to.images.references) images.references = [...(images.references ?? []), ...img.references].slice(0, to.images.references.max);
    else dropped.push('references');
  }
  if (to.images.exclusive && images.references?.length && (images.first || images.last)) {
    delete images.references;
    dropped.push('references');
  }
  if (Object.keys(images).length > 0) out.images = images;
  return { choices: out, dropped };
}

function setConcept(out: VideoChoices, concept: Concept, v: OptionValue): void {
  switch (concept) {
    case 'duration':
    case 'seed':
      out[concept] = Number(v);
      break;
    case 'audio':
      out.audio = v === true;
      break;
    default:
      out[concept] = String(v);
  }
}

import type { Concept, ModelSpec, OptionSpec, OptionValue, VideoChoices } from './spec';

/** The value the user chose for an option, or undefined. Concepts live at the top of the choices. */
export function chosenValue(opt: OptionSpec, choices: VideoChoices): OptionValue | undefined {
  if (opt.concept) {
    const v = choices[opt.concept];
    return v === undefined || v === '' ? undefined : v;
  }
  const v = choices.options?.[opt.field];
  return v === '' ? undefined : v;
}

/** What will be sent for an option: the choice, else the option's default. */
export function effectiveValue(opt: OptionSpec, choices: VideoChoices): OptionValue | undefined {
  return chosenValue(opt, choices) ?? opt.default;
}

/** The effective value of a concept for this model, or undefined when the model does not take it. */
export function conceptValue(spec: ModelSpec, concept: Concept, choices: VideoChoices): OptionValue | undefined {
  const opt = spec.options.find((o) => o.concept === concept);
  return opt ? effectiveValue(opt, choices) : undefined;
}

/** Case and spelling that mean the same across models: `4K`/`4k`/`2160p`, `Auto`/`adaptive`. */
export function sameMeaning(a: string | number, b: string | number): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: string | number): string {
  const s = String(v).trim().toLowerCase();
  if (s === '2160p' || s === '4k') return '4k';
  if (s === 'adaptive') return 'auto';
  return s;
}

/** Which kind of images a request carries, for derived fields such as Veo's generationType. */
export function imageMode(choices: VideoChoices): 'none' | 'frames' | 'references' {
  const i = choices.images;
  if (i?.references && i.references.length > 0) return 'references';
  if (i?.first || i?.last) return 'frames';
  return 'none';
}

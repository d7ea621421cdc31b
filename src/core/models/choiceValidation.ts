import { chosenValue, conceptValue, effectiveValue, sameMeaning } from './choices';
import { CONCEPTS, type ChoiceIssue, type IssueField, type ModelSpec, type OptionSpec, type VideoChoices } from './spec';

function fieldOf(opt: OptionSpec): IssueField {
  return opt.concept ?? `option:${opt.field}`;
}

function nameOf(opt: OptionSpec): string {
  return opt.concept ?? opt.field;
}

function checkOption(spec: ModelSpec, opt: OptionSpec, choices: VideoChoices, issues: ChoiceIssue[]): void {
  const v = chosenValue(opt, choices);
  const field = fieldOf(opt);
  if (v === undefined) {
    if (opt.required && opt.default === undefined) issues.push({ field, code: 'required', message: `${spec.label} needs a value for ${nameOf(opt)}.` });
    return;
  }
  if (opt.type === 'choice') {
    const allowed = opt.values ?? [];
    if (!allowed.some((a) => a.value === v || (typeof v !== 'boolean' && String(a.value) === String(v)))) {
      const list = allowed.map((a) => String(a.value)).join(', ');
      issues.push({ field, code: 'notAllowed', values: { value: String(v), allowed: list }, message: `${spec.label} does not take ${nameOf(opt)} "${v}": use ${list}.` });
    }
    return;
  }
  if (opt.type === 'boolean') {
    if (typeof v !== 'boolean') issues.push({ field, code: 'notAllowed', values: { value: String(v), allowed: 'true, false' }, message: `${nameOf(opt)} is true or false, not "${v}".` });
    return;
  }
  if (opt.type === 'integer' || opt.type === 'number') {
    const n = typeof v === 'number' ? v : Number(v);
    const bad = !Number.isFinite(n) || (opt.type === 'integer' && !Number.isInteger(n)) || (opt.min !== undefined && n < opt.min) || (opt.max !== undefined && n > opt.max);
    if (bad) {
      const min = opt.min ?? '';
      const max = opt.max ?? '';
      issues.push({ field, code: 'outOfRange', values: { value: String(v), min, max }, message: `${spec.label} takes ${nameOf(opt)} from ${min} to ${max}, not "${v}".` });
    }
    return;
  }
  if (typeof v !== 'string') {
    issues.push({ field, code: 'notAllowed', values: { value: String(v), allowed: 'text' }, message: `${nameOf(opt)} is text.` });
  } else if (opt.maxLength !== undefined && v.length > opt.maxLength) {
    issues.push({ field, code: 'outOfRange', values: { value: v.length, min: 0, max: opt.maxLength }, message: `${nameOf(opt)} has ${v.length} characters; at most ${opt.maxLength}.` });
  }
}

function checkImages(spec: ModelSpec, choices: VideoChoices, issues: ChoiceIssue[]): void {
  const img = choices.images ?? {};
  const slots = spec.images;
  const refs = img.references ?? [];
  if (img.first && !slots.first) issues.push({ field: 'first', code: 'notOffered', message: `${spec.label} does not start from an image.` });
  if (img.last && !slots.last) issues.push({ field: 'last', code: 'notOffered', message: `${spec.label} takes no last frame.` });
  if (refs.length > 0 && !slots.references) issues.push({ field: 'references', code: 'notOffered', message: `${spec.label} takes no reference images.` });
  if (slots.first?.required && !img.first) issues.push({ field: 'first', code: 'imageRequired', message: `${spec.label} starts from an image: choose a PNG, JPEG or WebP file.` });
  if (img.last && !img.first && slots.last) issues.push({ field: 'last', code: 'lastNeedsFirst', message: 'A last frame needs a first frame.' });
  if (slots.references && refs.length > slots.references.max) {
    issues.push({ field: 'references', code: 'tooManyReferences', values: { count: refs.length, max: slots.references.max }, message: `${spec.label} takes at most ${slots.references.max} reference images, not ${refs.length}.` });
  }
  if (slots.references?.min !== undefined && refs.length > 0 && refs.length < slots.references.min) {
    issues.push({ field: 'references', code: 'tooFewReferences', values: { count: refs.length, min: slots.references.min }, message: `${spec.label} needs at least ${slots.references.min} reference images.` });
  }
  if (slots.exclusive && refs.length > 0 && (img.first || img.last)) {
    issues.push({ field: 'references', code: 'framesOrReferences', message: `${spec.label} takes frames or reference images, not both.` });
  }
  if (refs.length > 0 && slots.referenceDurations) {
    const d = Number(conceptValue(spec, 'duration', choices));
    if (!slots.referenceDurations.includes(d)) {
      const allowed = slots.referenceDurations.join(', ');
      issues.push({ field: 'duration', code: 'referenceDuration', values: { value: d, allowed }, message: `With reference images ${spec.label} makes ${allowed}-second videos only.` });
    }
  }
}

/**
 * Everything that can be checked before anything is sent, as data: the form shows each issue next to its
 * field, prompt files turn them into diagnostics, agent tools return the messages. Empty means valid.
 */
export function validateChoices(spec: ModelSpec, choices: VideoChoices): ChoiceIssue[] {
  const issues: ChoiceIssue[] = [];
  if (spec.retired) issues.push({ field: 'model', code: 'retired', values: { alternative: spec.retired.alternative }, message: `${spec.label} is retired: ${spec.retired.note}` });
  const prompt = choices.prompt ?? '';
  const length = prompt.trim().length;
  if (length === 0 && !spec.prompt.optional) issues.push({ field: 'prompt', code: 'promptEmpty', message: 'Write a prompt describing the video.' });
  if (prompt.length > spec.prompt.max) {
    issues.push({ field: 'prompt', code: 'promptTooLong', values: { length: prompt.length, max: spec.prompt.max }, message: `The prompt has ${prompt.length} characters; ${spec.label} accepts at most ${spec.prompt.max}.` });
  }
  if (length > 0 && spec.prompt.min !== undefined && length < spec.prompt.min) {
    issues.push({ field: 'prompt', code: 'promptTooShort', values: { length, min: spec.prompt.min }, message: `${spec.label} needs a prompt of at least ${spec.prompt.min} characters.` });
  }
  for (const concept of CONCEPTS) {
    if (choices[concept] !== undefined && choices[concept] !== '' && !spec.options.some((o) => o.concept === concept)) {
      issues.push({ field: concept, code: 'notOffered', message: `${spec.label} has no ${concept} option.` });
    }
  }
  for (const field of Object.keys(choices.options ?? {})) {
    if (!spec.options.some((o) => o.concept === undefined && o.field === field)) {
      issues.push({ field: `option:${field}`, code: 'unknownOption', values: { option: field }, message: `${spec.label} has no option "${field}".` });
    }
  }
  for (const opt of spec.options) checkOption(spec, opt, choices, issues);
  for (const c of spec.constraints ?? []) {
    const when = conceptValue(spec, c.when.concept, choices);
    const other = spec.options.find((o) => o.concept === c.only.concept);
    const v = other ? effectiveValue(other, choices) : undefined;
    if (when !== undefined && sameMeaning(String(when), c.when.is) && v !== undefined && !c.only.values.some((x) => String(x) === String(v))) {
      const allowed = c.only.values.join(', ');
      issues.push({ field: c.only.concept, code: 'notAllowed', values: { value: String(v), allowed }, message: `At ${c.when.concept} ${c.when.is}, ${spec.label} takes ${c.only.concept} ${allowed} only.` });
    }
  }
  checkImages(spec, choices, issues);
  return issues;
}

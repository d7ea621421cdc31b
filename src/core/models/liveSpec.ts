import type { ListedModel } from '../kie/discoveryApi';
import { follow, requestBodySchema } from './schemaRefs';
import type { Concept, ImageSlots, ModelSpec, OptionSpec, OptionValue } from './spec';

type Json = Record<string, unknown>;

/** The names models use for each product concept (kie-api.md §2); anything else is a model-own field. */
const CONCEPT_FIELDS: Record<string, Concept> = {
  aspect_ratio: 'aspect',
  ratio: 'aspect',
  aspectRatio: 'aspect',
  duration: 'duration',
  resolution: 'resolution',
  sound: 'audio',
  audio: 'audio',
  generate_audio: 'audio',
  seed: 'seed',
  negative_prompt: 'negative',
};
const FIRST = ['image_urls', 'image_url', 'first_frame_url', 'imageUrls', 'input_image', 'start_image_url'];
const LAST = ['last_frame_url', 'end_image_url', 'tail_image_url'];
const REFERENCES = ['reference_image_urls'];
/** Fields a form cannot fill: callbacks, task plumbing, media other than images. */
const SKIP = /callback|url$|urls$|_id$|^index$|elements|multi_prompt|shots/i;

interface InputShape {
  properties: Record<string, Json>;
  required: Set<string>;
  /** Property names per `oneOf` branch, when the input is a choice of shapes. */
  branches: string[][];
}

function inputShape(openapi: unknown): InputShape | undefined {
  const body = requestBodySchema(openapi);
  if (!body) return undefined;
  const props = body.properties && typeof body.properties === 'object' ? (body.properties as Json) : {};
  const input = follow(openapi, props.input) ?? body;
  const branches = Array.isArray(input.oneOf) ? input.oneOf.map((b) => follow(openapi, b)).filter((b): b is Json => !!b) : [];
  const shapes = branches.length > 0 ? branches : [input];
  const properties: Record<string, Json> = {};
  const required: string[][] = [];
  for (const shape of shapes) {
    for (const [name, p] of Object.entries((shape.properties ?? {}) as Json)) {
      const resolved = follow(openapi, p);
      if (resolved) properties[name.trim()] = resolved;
    }
    required.push(Array.isArray(shape.required) ? shape.required.map((r) => String(r).trim()) : []);
  }
  // Required only when every branch requires it: a field one branch needs the other may forbid.
  const all = required.reduce((a, b) => a.filter((x) => b.includes(x)));
  return {
    properties,
    required: new Set(all),
    branches: branches.map((b) => Object.keys((b.properties ?? {}) as Json).map((k) => k.trim())),
  };
}

function option(field: string, p: Json, required: boolean, concept?: Concept): OptionSpec | undefined {
  const description = typeof p.description === 'string' ? p.description.split('\n')[0].slice(0, 200) : undefined;
  const def = p.default as OptionValue | undefined;
  const base = { field, ...(concept ? { concept } : {}), ...(required ? { required } : {}), ...(def !== undefined ? { default: def } : {}), ...(description && !concept ? { description } : {}) };
  if (Array.isArray(p.enum)) {
    const values = p.enum.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number');
    // Kling's "5" and Hailuo's "6": a numeric duration sent as a string.
    const numeric = concept === 'duration' && values.every((v) => Number.isFinite(Number(v)));
    return {
      ...base,
      type: 'choice',
      values: values.map((v) => ({ value: numeric ? Number(v) : v })),
      ...(numeric ? { wire: p.type === 'string' ? 'string' : 'number', ...(def !== undefined ? { default: Number(def) } : {}) } : {}),
    } as OptionSpec;
  }
  switch (p.type) {
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'integer':
    case 'number': {
      const min = typeof p.minimum === 'number' ? p.minimum : undefined;
      const max = typeof p.maximum === 'number' ? p.maximum : undefined;
      return { ...base, type: p.type === 'integer' || concept === 'duration' ? 'integer' : 'number', ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
    }
    case 'string':
      if (concept === 'duration') return { ...base, type: 'integer', wire: 'string' };
      return { ...base, type: 'text', ...(typeof p.maxLength === 'number' ? { maxLength: p.maxLength } : {}) };
    default:
      return undefined;
  }
}

/**
 * A spec for a model no release of ours knows, from Kie's live OpenAPI schema: enums become choices,
 * booleans toggles, bounded numbers number fields, strings text fields; known names map onto the product's
 * concepts and image slots; a `oneOf` of frames and references becomes exclusive slots. Undefined when the
 * schema has no usable request body or a required field no form can fill.
 */
export function specFromSchema(listed: ListedModel, openapi: unknown): ModelSpec | undefined {
  const shape = inputShape(openapi);
  if (!shape) return undefined;
  const { properties, required } = shape;
  const images: ImageSlots = {};
  const options: OptionSpec[] = [];
  for (const [field, p] of Object.entries(properties)) {
    if (field === 'prompt') continue;
    const isList = p.type === 'array';
    const maxItems = typeof p.maxItems === 'number' ? p.maxItems : undefined;
    if (FIRST.includes(field) && !images.first) {
      images.first = { field, ...(isList ? { list: true } : {}), ...(required.has(field) ? { required: true } : {}) };
      if (isList && (maxItems === undefined || maxItems >= 2) && !images.last) images.last = { field, list: true };
      continue;
    }
    if (LAST.includes(field)) {
      images.last = { field };
      continue;
    }
    if (REFERENCES.includes(field)) {
      images.references = { field, max: maxItems ?? 9 };
      continue;
    }
    const concept = CONCEPT_FIELDS[field];
    if (!concept && SKIP.test(field)) {
      if (required.has(field) && p.default === undefined) return undefined;
      continue;
    }
    const opt = option(field, p, required.has(field), concept);
    if (opt) options.push(opt);
    else if (required.has(field) && p.default === undefined) return undefined;
  }
  if (shape.branches.length > 1 && images.references && (images.first || images.last)) {
    const frameField = images.first?.field ?? images.last?.field;
    images.exclusive = !shape.branches.some((b) => b.includes(images.references!.field) && frameField !== undefined && b.includes(frameField));
  }
  const promptSchema = properties.prompt;
  const promptMax = promptSchema && typeof promptSchema.maxLength === 'number' ? promptSchema.maxLength : 5000;
  const imageOnly = listed.taskTypes.length > 0 && listed.taskTypes.every((t) => /image/i.test(t));
  return {
    id: listed.model,
    apiModel: listed.model,
    provider: listed.provider || listed.model.split('/')[0],
    label: listed.title || listed.model,
    kind: images.first?.required || imageOnly ? 'image' : 'text',
    family: 'jobs',
    prompt: { field: 'prompt', max: promptMax, ...(required.has('prompt') || !promptSchema ? {} : { optional: true }) },
    images,
    options,
    ...(listed.pricingDesc ? { pricingDesc: listed.pricingDesc } : {}),
    typicalSeconds: 120,
    source: 'live',
  };
}

/** Input fields a schema lists, for checking a bundled spec against it. */
export function schemaFields(openapi: unknown): Map<string, Json> | undefined {
  const shape = inputShape(openapi);
  return shape ? new Map(Object.entries(shape.properties)) : undefined;
}

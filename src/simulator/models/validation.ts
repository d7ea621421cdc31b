import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import { isRecord } from '../http';
import { bodySchema, type JsonSchema } from './schemas';
import type { SimModel } from './table';

/** Why Kie refuses a request body: the envelope code and message it answers. */
export interface Refusal {
  code: number;
  msg: string;
}

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

function validator(model: SimModel): ValidateFunction {
  let fn = compiled.get(model.id);
  if (fn) return fn;
  // Kie's schemas carry doc keywords (examples, deprecated) and `format: uri`; strict mode would refuse them.
  ajv ??= new Ajv2020({ allErrors: true, verbose: true, strict: false }).addFormat('uri', /^[a-z][a-z0-9+.-]*:\S*$/i);
  fn = ajv.compile(withoutUnenforced(model, bodySchema(model.schemaFile)));
  compiled.set(model.id, fn);
  return fn;
}

/** Drops from `required` what Kie's server does not enforce (the published schema still lists it). */
function withoutUnenforced(model: SimModel, schema: JsonSchema): JsonSchema {
  const drop = new Set(model.notEnforced ?? []);
  if (drop.size === 0) return schema;
  const visit = (node: unknown): void => {
    if (!isRecord(node)) return;
    if (Array.isArray(node.required)) node.required = node.required.filter((r) => !drop.has(String(r)));
    for (const v of Object.values(node)) if (typeof v === 'object') visit(v);
  };
  visit(schema);
  return schema;
}

/** `input.aspect_ratio` → `aspect_ratio`; `/input/multi_prompt/0/duration` → `multi_prompt[0].duration`. */
function fieldName(instancePath: string): string {
  const parts = instancePath.split('/').slice(1);
  if (parts[0] === 'input' && parts.length > 1) parts.shift();
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

function isMissing(e: ErrorObject): boolean {
  return e.keyword === 'required' || (e.keyword === 'minLength' && e.data === '');
}

function describe(e: ErrorObject, requiredCode: number): Refusal {
  const field = fieldName(e.instancePath) || 'body';
  if (e.keyword === 'required') {
    const missing = String((e.params as { missingProperty: string }).missingProperty);
    return { code: requiredCode, msg: `${missing} is required` };
  }
  if (isMissing(e)) return { code: requiredCode, msg: `${field} is required` };
  if (e.keyword === 'enum') {
    const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map((v) => String(v));
    return { code: 422, msg: `${field} must be one of: ${allowed.join(', ')}` };
  }
  if (e.keyword === 'additionalProperties') {
    return { code: 422, msg: `${String((e.params as { additionalProperty: string }).additionalProperty)} is not supported by this model` };
  }
  if (e.keyword === 'oneOf') {
    const branches = (Array.isArray(e.schema) ? e.schema : []).map((b: unknown, i) => (isRecord(b) && typeof b.title === 'string' ? b.title : `shape ${i + 1}`));
    return { code: 422, msg: `${field} must match exactly one of: ${branches.join(', ')}` };
  }
  if (e.keyword === 'dependentRequired') {
    const p = e.params as { property: string; missingProperty: string };
    return { code: 422, msg: `${p.property} needs ${p.missingProperty}` };
  }
  return { code: 422, msg: `${field} ${e.message ?? 'is invalid'}` };
}

/** Errors inside the branches of a oneOf/anyOf explain nothing alone: the combinator's own error does. */
function insideCombinator(e: ErrorObject): boolean {
  return /\/(oneOf|anyOf)\/\d+\//.test(e.schemaPath);
}

/**
 * When no branch of a oneOf matched and one branch missed by fewer errors than every other, its first
 * error says more than "must match exactly one" (a last frame without a first frame, say).
 */
function nearestBranchError(oneOf: ErrorObject, all: ErrorObject[]): ErrorObject | undefined {
  if ((oneOf.params as { passingSchemas: unknown }).passingSchemas !== null) return undefined;
  const byBranch = new Map<string, ErrorObject[]>();
  for (const e of all) {
    const m = e.schemaPath.startsWith(`${oneOf.schemaPath}/`) ? /^\/(\d+)\//.exec(e.schemaPath.slice(oneOf.schemaPath.length)) : null;
    if (m) byBranch.set(m[1], [...(byBranch.get(m[1]) ?? []), e]);
  }
  const ranked = [...byBranch.values()].sort((a, b) => a.length - b.length);
  return ranked.length > 0 && (ranked.length === 1 || ranked[0].length < ranked[1].length) ? ranked[0][0] : undefined;
}

/**
 * Validates a whole request body as Kie does: its published schema first (a missing field is code 500
 * on createTask, as seen live; 422 on Veo's endpoint), then the rules across fields its server applies.
 */
export function refusalFor(model: SimModel, body: Record<string, unknown>): Refusal | undefined {
  const requiredCode = model.family === 'jobs' ? 500 : 422;
  const validate = validator(model);
  if (!validate(body)) {
    const all = validate.errors ?? [];
    const errors = all.filter((e) => !insideCombinator(e));
    const first = errors.find(isMissing) ?? errors[0];
    if (first?.keyword === 'oneOf') {
      const nearest = nearestBranchError(first, all);
      if (nearest) return describe(nearest, 422);
    }
    if (first) return describe(first, requiredCode);
  }
  const input = model.family === 'jobs' ? body.input : body;
  if (!isRecord(input)) return { code: requiredCode, msg: 'input is required' };
  for (const rule of model.rules ?? []) {
    const msg = rule(input);
    if (msg !== undefined) return { code: 422, msg };
  }
  return undefined;
}

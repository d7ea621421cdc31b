import type { ModelRequest } from './requestBuilder';
import { schemaFields } from './liveSpec';
import { inlineRefs, requestBodySchema } from './schemaRefs';
import type { ModelSpec } from './spec';

/** What differs between a bundled spec and Kie's live schema: fields or values Kie no longer takes. */
export interface SchemaDrift {
  /** Fields the spec sends that the schema no longer lists. */
  fields: string[];
  /** Values the spec offers that the schema's enum dropped, per field. */
  values: Record<string, string[]>;
}

export function driftFrom(spec: ModelSpec, openapi: unknown): SchemaDrift | undefined {
  const fields = schemaFields(openapi);
  if (!fields || fields.size === 0) return undefined;
  const drift: SchemaDrift = { fields: [], values: {} };
  for (const opt of spec.options) {
    const p = fields.get(opt.field);
    if (!p) {
      drift.fields.push(opt.field);
      continue;
    }
    if (opt.values && Array.isArray(p.enum)) {
      const allowed = new Set(p.enum.map(String));
      const gone = opt.values.map((v) => String(v.value)).filter((v) => !allowed.has(v));
      if (gone.length > 0) drift.values[opt.field] = gone;
    }
  }
  return drift.fields.length > 0 || Object.keys(drift.values).length > 0 ? drift : undefined;
}

/**
 * A request without what the live schema no longer takes: a dropped field is not sent, and a value its
 * enum dropped is left out so Kie applies its own default. `dropped` names them for the log.
 */
export function pruneToSchema(req: ModelRequest, drift: SchemaDrift | undefined): { request: ModelRequest; dropped: string[] } {
  if (!drift) return { request: req, dropped: [] };
  const input = { ...req.input };
  const dropped: string[] = [];
  for (const f of drift.fields) {
    if (f in input) {
      delete input[f];
      dropped.push(f);
    }
  }
  for (const [f, values] of Object.entries(drift.values)) {
    if (f in input && values.includes(String(input[f]))) {
      dropped.push(`${f}=${String(input[f])}`);
      delete input[f];
    }
  }
  return { request: { ...req, input }, dropped };
}

type Validator = (data: unknown) => boolean;
interface AjvLike {
  compile(schema: unknown): Validator & { errors?: { instancePath: string; message?: string }[] | null };
}

let ajv: AjvLike | undefined;

/** ajv is large; it is loaded the first time a request is checked against a live schema, not at activation. */
function validator(): AjvLike {
  if (!ajv) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv2020 = require('ajv/dist/2020') as { default: new (o: object) => AjvLike & { addFormat(n: string, f: boolean): void } };
    const instance = new Ajv2020.default({ strict: false, allErrors: true, validateSchema: false });
    for (const f of ['uri', 'url', 'uri-reference', 'date-time', 'email']) instance.addFormat(f, true);
    ajv = instance;
  }
  return ajv;
}

/** Problems with a `{model, input}` body by Kie's live schema, as "path message" lines; empty when valid. */
export function checkAgainstSchema(openapi: unknown, body: Record<string, unknown>): string[] {
  const schema = requestBodySchema(openapi);
  if (!schema) return [];
  const check = validator().compile(inlineRefs(openapi, schema));
  return check(body) ? [] : (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is not valid'}`.trim());
}

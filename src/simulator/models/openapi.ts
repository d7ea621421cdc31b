import { isRecord } from '../http';
import { bodySchema, type JsonSchema } from './schemas';
import type { SimModel } from './table';

/**
 * The OpenAPI 3.1 document `GET /api/v1/models/{model}/schema` answers, shaped like Kie's: the request
 * body points into `components` with `$ref`s that are not inlined; component keys hold spaces (the
 * pointers percent-encode them as `%20`), one key ends with a space, and refs nest (request → input →
 * a property). A client must resolve them itself (kie-api.md §5).
 */

const ENUM_PREFERENCE = ['resolution', 'aspect_ratio', 'ratio', 'mode', 'n_frames', 'duration'];

function ref(key: string): { $ref: string } {
  return { $ref: `#/components/schemas/${encodeURIComponent(key)}` };
}

function properties(schema: JsonSchema): Record<string, unknown> {
  return isRecord(schema.properties) ? schema.properties : {};
}

/** Moves the first enum property found to its own component, whose key ends with a space. */
function extractEnum(schemas: Record<string, unknown>, model: SimModel, objects: JsonSchema[]): void {
  const name = ENUM_PREFERENCE.find((p) => objects.some((o) => isRecord(properties(o)[p]) && Array.isArray((properties(o)[p] as JsonSchema).enum)));
  if (name === undefined) return;
  const key = `${model.title} ${name} `;
  for (const o of objects) {
    const props = properties(o);
    if (!isRecord(props[name])) continue;
    schemas[key] ??= props[name];
    props[name] = ref(key);
  }
}

function respaceKeys(input: JsonSchema, keys: readonly string[]): void {
  const props = properties(input);
  for (const k of keys) {
    if (!(k in props)) continue;
    const entries = Object.entries(props).map(([name, v]): [string, unknown] => [name === k ? `${k} ` : name, v]);
    input.properties = Object.fromEntries(entries);
  }
}

export function openApiDocument(model: SimModel): JsonSchema {
  const body = bodySchema(model.schemaFile);
  delete body.$schema;
  delete body.$comment;
  const schemas: Record<string, unknown> = {};
  const requestKey = `${model.title} Request`;
  let objects: JsonSchema[] = [body];
  const input = properties(body).input;
  if (model.family === 'jobs' && isRecord(input)) {
    const inputKey = `${model.title} Input`;
    respaceKeys(input, model.spacedKeys ?? []);
    if (Array.isArray(input.oneOf)) {
      const branches = input.oneOf.filter(isRecord);
      input.oneOf = branches.map((branch, i) => {
        const key = `${model.title} ${typeof branch.title === 'string' ? branch.title : `Shape ${i + 1}`}`;
        schemas[key] = branch;
        return ref(key);
      });
      objects = branches;
    } else {
      objects = [input];
    }
    schemas[inputKey] = input;
    (body.properties as Record<string, unknown>).input = ref(inputKey);
  }
  extractEnum(schemas, model, objects);
  schemas[requestKey] = body;
  schemas.ApiResponse = {
    type: 'object',
    properties: {
      code: { type: 'integer', description: 'Response status code; 200 means the task was created.' },
      msg: { type: 'string', description: 'Response message' },
      data: { type: 'object', properties: { taskId: { type: 'string' }, ...(model.family === 'jobs' ? { recordId: { type: 'string' } } : {}) } },
    },
  };
  const path = model.family === 'jobs' ? '/api/v1/jobs/createTask' : '/api/v1/veo/generate';
  return {
    openapi: '3.1.0',
    info: { title: model.title, version: '1.0.0', ...(model.description ? { description: model.description } : {}) },
    servers: [{ url: 'https://api.kie.ai' }],
    paths: {
      [path]: {
        post: {
          summary: `Generate a video with ${model.title}`,
          operationId: model.id.replace(/[^a-z0-9]+/gi, '-'),
          security: [{ BearerAuth: [] }],
          requestBody: { required: true, content: { 'application/json': { schema: ref(requestKey) } } },
          responses: { '200': { description: 'Request successful', content: { 'application/json': { schema: ref('ApiResponse') } } } },
        },
      },
    },
    components: { securitySchemes: { BearerAuth: { type: 'http', scheme: 'bearer' } }, schemas },
  };
}

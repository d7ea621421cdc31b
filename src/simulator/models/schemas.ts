import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const SCHEMA_DIR = path.join('src', 'simulator', 'models', 'schemas');

/**
 * The folder of request schemas, found from the project root (the nearest folder holding package.json)
 * so the same code works compiled by tsc to out/src/simulator/ and bundled by esbuild to dist/simulator.js.
 */
function schemaDir(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, SCHEMA_DIR);
    if (existsSync(path.join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`Simulator schemas ${SCHEMA_DIR} not found above ${from}`);
}

export type JsonSchema = Record<string, unknown>;

const cache = new Map<string, JsonSchema>();

/** The JSON schema of a whole request body, parsed once; callers get a fresh copy to change freely. */
export function bodySchema(file: string): JsonSchema {
  let schema = cache.get(file);
  if (!schema) {
    schema = JSON.parse(readFileSync(path.join(schemaDir(), file), 'utf8')) as JsonSchema;
    cache.set(file, schema);
  }
  return structuredClone(schema);
}

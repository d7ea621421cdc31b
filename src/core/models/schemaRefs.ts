/**
 * JSON-pointer `$ref`s in Kie's per-model OpenAPI documents. Kie does not inline them, and its component
 * keys may be percent-encoded (`Kling%20Input`) or end with a space: each pointer segment is URL-decoded,
 * then matched literally, then (for keys published with a stray space) by its trimmed form.
 */
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function segment(s: string): string {
  const unescaped = s.replace(/~1/g, '/').replace(/~0/g, '~');
  try {
    return decodeURIComponent(unescaped);
  } catch {
    return unescaped;
  }
}

function child(node: unknown, key: string): unknown {
  if (Array.isArray(node)) return node[Number(key)];
  if (!isObject(node)) return undefined;
  if (key in node) return node[key];
  const trimmed = key.trim();
  const match = Object.keys(node).find((k) => k.trim() === trimmed);
  return match === undefined ? undefined : node[match];
}

/** The node a local `#/...` pointer names in `doc`, or undefined. */
export function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  const path = ref.slice(1).split('/').filter((s, i) => i > 0 || s !== '');
  let node: unknown = doc;
  for (const s of path) {
    node = child(node, segment(s));
    if (node === undefined) return undefined;
  }
  return node;
}

/** Follows `$ref` until a node without one (a chain of aliases), guarding against cycles. */
export function follow(doc: unknown, node: unknown): Json | undefined {
  const seen = new Set<string>();
  let cur = node;
  while (isObject(cur) && typeof cur.$ref === 'string') {
    if (seen.has(cur.$ref)) return undefined;
    seen.add(cur.$ref);
    cur = resolvePointer(doc, cur.$ref);
  }
  return isObject(cur) ? cur : undefined;
}

/** A copy of `node` with every local `$ref` replaced by what it points at, for a validator; cycles are cut. */
export function inlineRefs(doc: unknown, node: unknown, depth = 0): unknown {
  if (depth > 64) return {};
  if (Array.isArray(node)) return node.map((n) => inlineRefs(doc, n, depth + 1));
  if (!isObject(node)) return node;
  if (typeof node.$ref === 'string') {
    const target = follow(doc, node);
    return target ? inlineRefs(doc, target, depth + 1) : {};
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = inlineRefs(doc, v, depth + 1);
  return out;
}

/** The JSON schema of createTask's request body in a one-model OpenAPI document. */
export function requestBodySchema(openapi: unknown): Json | undefined {
  const paths = isObject(openapi) && isObject(openapi.paths) ? openapi.paths : undefined;
  if (!paths) return undefined;
  const entries = Object.entries(paths);
  const preferred = entries.find(([p]) => /createTask|generate/i.test(p)) ?? entries[0];
  const post = preferred && isObject(preferred[1]) ? follow(openapi, preferred[1].post) : undefined;
  const body = post ? follow(openapi, post.requestBody) : undefined;
  const content = body && isObject(body.content) ? body.content : undefined;
  const json = content ? follow(openapi, content['application/json']) : undefined;
  return json ? follow(openapi, json.schema) : undefined;
}

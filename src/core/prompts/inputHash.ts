import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { GenerationRequest } from '../models/spec';

/** Reads an image's bytes; the default reads the file. Tests and benchmarks pass their own. */
export type ReadBytes = (filePath: string) => Promise<Uint8Array>;

const readFile: ReadBytes = (p) => fs.readFile(p);

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** JSON with sorted keys and without undefined values, so the same choices always hash the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The fingerprint of everything that determines a prompt file's video: the model, the prompt, every
 * choice as written, and the bytes of every image. An image counts by its contents, not its name or
 * modification time, so touching or moving a file does not make a video "changed", while re-exporting
 * it with other pixels does. Throws when an image cannot be read (the file cannot be generated either).
 */
export async function inputHash(request: GenerationRequest, readBytes: ReadBytes = readFile): Promise<string> {
  const digest = async (p: string | undefined): Promise<string | undefined> => (p === undefined ? undefined : `sha256:${sha256(await readBytes(p))}`);
  const { images, ...choices } = request;
  const [first, last, references] = await Promise.all([digest(images?.first), digest(images?.last), Promise.all((images?.references ?? []).map((p) => digest(p)))]);
  const material = {
    v: 1,
    ...choices,
    prompt: request.prompt.trim(),
    images: images ? { first, last, references: references.length ? references : undefined } : undefined,
  };
  return sha256(canonical(material));
}

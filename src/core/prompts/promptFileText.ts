import * as path from 'node:path';
import { yaml } from './yamlLib';
import type { GenerationRequest } from '../models/spec';

/**
 * Writes a request as a prompt file, the inverse of `parsePromptFile`: what the form saves and what
 * "Continue from Last Frame" creates. Image paths are written relative to the file, with `/`, so the
 * file works on every platform and after the folder moves.
 */
export function promptFileText(request: GenerationRequest, filePath: string, variants = 1): string {
  const dir = path.dirname(filePath);
  const rel = (p: string): string => {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p)) return p;
    const r = path.relative(dir, p);
    return (r === '' ? path.basename(p) : r).split(path.sep).join('/');
  };
  const front: Record<string, unknown> = { model: request.model };
  if (request.aspect !== undefined) front.aspect = request.aspect;
  if (request.duration !== undefined) front.duration = request.duration;
  if (request.resolution !== undefined) front.resolution = request.resolution;
  if (request.audio !== undefined) front.audio = request.audio;
  if (request.images?.first) front.image = rel(request.images.first);
  if (request.images?.last) front.last_frame = rel(request.images.last);
  if (request.images?.references?.length) front.references = request.images.references.map(rel);
  if (request.seed !== undefined) front.seed = request.seed;
  if (request.negative) front.negative = request.negative;
  if (variants > 1) front.variants = variants;
  if (request.options && Object.keys(request.options).length) front.options = { ...request.options };
  return `---\n${yaml().stringify(front, { lineWidth: 0 })}---\n\n${request.prompt.trim()}\n`;
}

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { TaskRecord } from '../tasks/task';
import type { GenerationRequest } from '../models/spec';
import type { ApiFamily } from '../types';

/** What sits next to every video: enough to know where it came from and to make it again. */
export interface VideoSidecar {
  version: 1;
  file: string;
  prompt: string;
  model: string;
  family: ApiFamily;
  inputs: GenerationRequest;
  taskId: string;
  localId: string;
  /**
   * The source image, relative and with `/` separators: to the workspace folder when the caller names
   * it, else to this sidecar's folder; only the file name when it lies outside the workspace. A sidecar
   * is often committed or shared, so it holds no absolute path (a user name, a home layout).
   */
  sourceImage?: string;
  /** Credits Kie charged for the task. */
  creditsConsumed?: number;
  timings: {
    createdAt: string;
    completedAt?: string;
    downloadedAt: string;
    costTimeMs?: number;
  };
}

/** A URL without its query and fragment, where signatures and tokens travel. */
function withoutQuery(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url.replace(/[?#].*$/, '');
  }
}

function relativeSource(image: string, videoPath: string, workspaceRoot: string | undefined): string {
  const base = workspaceRoot ?? path.dirname(videoPath);
  const rel = path.relative(base, image);
  const outside = path.isAbsolute(rel) || (workspaceRoot !== undefined && (rel === '..' || rel.startsWith(`..${path.sep}`)));
  return outside ? path.basename(image) : rel.split(path.sep).join('/');
}

/**
 * What goes into the sidecar: no result URL (Kie's links are signed and expire), the uploaded image
 * URLs without their query strings, and the source image as a relative path (see VideoSidecar).
 */
export function buildSidecar(rec: TaskRecord, videoPath: string, downloadedAt: number, workspaceRoot?: string): VideoSidecar {
  const succeeded = [...rec.history].reverse().find((h) => h.state === 'succeeded');
  const images = rec.request.images;
  const inputs: GenerationRequest = images
    ? {
        ...rec.request,
        images: {
          ...(images.first !== undefined ? { first: withoutQuery(images.first) } : {}),
          ...(images.last !== undefined ? { last: withoutQuery(images.last) } : {}),
          ...(images.references ? { references: images.references.map(withoutQuery) } : {}),
        },
      }
    : rec.request;
  return {
    version: 1,
    file: path.basename(videoPath),
    prompt: rec.request.prompt,
    model: rec.model,
    family: rec.family,
    inputs,
    taskId: rec.taskId ?? '',
    localId: rec.id,
    ...(rec.sourceImage ? { sourceImage: relativeSource(rec.sourceImage, videoPath, workspaceRoot) } : {}),
    ...(rec.creditsConsumed !== undefined ? { creditsConsumed: rec.creditsConsumed } : {}),
    timings: {
      createdAt: new Date(rec.createdAt).toISOString(),
      ...(succeeded ? { completedAt: new Date(succeeded.at).toISOString() } : {}),
      downloadedAt: new Date(downloadedAt).toISOString(),
      ...(rec.costTimeMs !== undefined ? { costTimeMs: rec.costTimeMs } : {}),
    },
  };
}

export async function writeSidecar(sidecarPath: string, data: VideoSidecar): Promise<void> {
  const tmp = `${sidecarPath}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await fs.writeFile(tmp, JSON.stringify(data, null, 2) + '\n', 'utf8');
    await fs.rename(tmp, sidecarPath);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/** The sidecar at a path, or undefined when there is none or it is not ours to read. */
export async function readSidecar(sidecarPath: string): Promise<VideoSidecar | undefined> {
  try {
    const data: unknown = JSON.parse(await fs.readFile(sidecarPath, 'utf8'));
    if (typeof data === 'object' && data !== null && typeof (data as VideoSidecar).taskId === 'string') return data as VideoSidecar;
  } catch {
    // Missing or unreadable: treated as someone else's file.
  }
  return undefined;
}

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
  sourceImage?: string;
  resultUrl?: string;
  /** Credits Kie charged for the task. */
  creditsConsumed?: number;
  timings: {
    createdAt: string;
    completedAt?: string;
    downloadedAt: string;
    costTimeMs?: number;
  };
}

export function buildSidecar(rec: TaskRecord, videoPath: string, downloadedAt: number): VideoSidecar {
  const succeeded = [...rec.history].reverse().find((h) => h.state === 'succeeded');
  return {
    version: 1,
    file: path.basename(videoPath),
    prompt: rec.request.prompt,
    model: rec.model,
    family: rec.family,
    inputs: rec.request,
    taskId: rec.taskId ?? '',
    localId: rec.id,
    ...(rec.sourceImage ? { sourceImage: rec.sourceImage } : {}),
    ...(rec.resultUrls?.[0] ? { resultUrl: rec.resultUrls[0] } : {}),
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

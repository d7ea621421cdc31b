import type { VideoSidecar } from '../../core/media/sidecar';
import { findBundled } from '../../core/models/bundledSpecs';
import type { GenerationRequest } from '../../core/models/spec';
import type { TaskRecord } from '../../core/tasks/task';
import { modelDisplayName } from '../presentation/modelName';
import { formatElapsed } from '../tasks/taskPresentation';
import type { Translate } from '../presentation/translate';

/** What made a video, from its task in the history or, for a video without one, its sidecar. */
export interface VideoOrigin {
  /** As stored: records and sidecars of 0.1 hold the older request shape (models/legacyRequest.ts). */
  request: GenerationRequest;
  model: string;
  modelLabel: string;
  taskId: string;
  /** True when this comes from the task history, false when only from a sidecar (a file anyone can edit). */
  fromHistory: boolean;
  /** The local task id, when the video came from this machine's history or names it in its sidecar. */
  localId?: string;
  sourceImage?: string;
  createdAt?: number;
  /** How long Kie took, as text ("42s", "1:05"). */
  elapsed?: string;
  /** What the task really cost, when Kie reported it. */
  credits?: number;
}

/** The task wins over the sidecar (it is the newer record); the sidecar fills what the task lacks. */
export function videoOrigin(task: TaskRecord | undefined, sidecar: VideoSidecar | undefined, t: Translate): VideoOrigin | undefined {
  if (task) {
    const succeeded = [...task.history].reverse().find((h) => h.state === 'succeeded');
    // Not costTime: Kie's unit for it is not settled.
    const tookMs = (succeeded ? succeeded.at - task.createdAt : undefined) ?? sidecarTookMs(sidecar);
    return {
      request: task.request,
      model: task.model,
      modelLabel: modelDisplayName(findBundled(task.model), t) ?? task.model,
      taskId: task.taskId ?? task.id,
      fromHistory: true,
      localId: task.id,
      sourceImage: task.sourceImage,
      createdAt: task.createdAt,
      elapsed: tookMs !== undefined ? formatElapsed(tookMs, t) : undefined,
      credits: creditsConsumed(task) ?? creditsConsumed(sidecar),
    };
  }
  if (!sidecar || !isRequest(sidecar.inputs)) return undefined;
  const createdAt = Date.parse(sidecar.timings?.createdAt ?? '');
  const tookMs = sidecarTookMs(sidecar);
  return {
    request: sidecar.inputs,
    model: sidecar.model,
    modelLabel: modelDisplayName(findBundled(sidecar.model), t) ?? sidecar.model,
    taskId: sidecar.taskId,
    fromHistory: false,
    localId: typeof sidecar.localId === 'string' && sidecar.localId ? sidecar.localId : undefined,
    sourceImage: typeof sidecar.sourceImage === 'string' ? sidecar.sourceImage : undefined,
    createdAt: Number.isFinite(createdAt) ? createdAt : undefined,
    elapsed: tookMs !== undefined ? formatElapsed(tookMs, t) : undefined,
    credits: creditsConsumed(sidecar),
  };
}

/** `creditsConsumed` as the task record and the sidecar carry it (absent on older records). */
export function creditsConsumed(record: object | undefined): number | undefined {
  const v = record && 'creditsConsumed' in record ? (record as { creditsConsumed: unknown }).creditsConsumed : undefined;
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/** A sidecar is a file anyone can edit: its timings are read as untrusted numbers. */
function sidecarTookMs(sidecar: VideoSidecar | undefined): number | undefined {
  const t = sidecar?.timings;
  if (!t) return undefined;
  const span = Date.parse(t.completedAt ?? '') - Date.parse(t.createdAt ?? '');
  return Number.isFinite(span) && span >= 0 ? span : undefined;
}

function isRequest(v: unknown): v is GenerationRequest {
  return typeof v === 'object' && v !== null && typeof (v as GenerationRequest).prompt === 'string' && typeof (v as GenerationRequest).model === 'string';
}

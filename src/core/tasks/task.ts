import type { KieErrorKind } from '../kie/errors';
import type { ApiFamily, GenerationRequest } from '../types';

/**
 * A task's life on this machine. Remote states map onto the middle of it; the ends are ours.
 *
 * submitting  createTask was sent, no taskId yet. Never resent automatically: after a crash the
 *             record becomes `unknown` and the user is told, because a resend could charge twice.
 * queued / generating   Kie accepted it; we poll.
 * succeeded   Kie finished; the result is not on disk yet (download pending or retrying).
 * downloading the result is being streamed to a temporary file.
 * completed   the video and its sidecar are on disk.
 * failed      Kie reported failure, or the download failed for good; `error` says why.
 * stopped     the user stopped waiting; resumable, the credits are spent either way.
 * unknown     a createTask whose answer never arrived; may or may not exist at Kie.
 */
export type LocalTaskState =
  | 'submitting'
  | 'queued'
  | 'generating'
  | 'succeeded'
  | 'downloading'
  | 'completed'
  | 'failed'
  | 'stopped'
  | 'unknown';

export const ACTIVE_STATES: ReadonlySet<LocalTaskState> = new Set(['queued', 'generating', 'succeeded', 'downloading']);

export interface TaskError {
  kind: KieErrorKind;
  message: string;
  detail?: string;
  failCode?: string;
}

export interface StateChange {
  state: LocalTaskState;
  at: number;
  /** Kie's raw state word or a short reason. */
  note?: string;
}

/** What made a task: the form, a prompt file (with its batch and variant), an agent... */
export interface TaskOrigin {
  kind: 'form' | 'promptFile' | 'agent' | 'mcp' | 'adopt';
  /** The prompt file, absolute. */
  file?: string;
  batchId?: string;
  /** 1-based, among the variants of one prompt file. */
  variant?: number;
}

export interface TaskRecord {
  /** Local id, assigned before createTask is sent, so the record exists before anything waits. */
  id: string;
  /** Kie's taskId, once createTask answered. */
  taskId?: string;
  model: string;
  family: ApiFamily;
  /** Exactly what was sent (after upload), so the clip can be reproduced. */
  request: GenerationRequest;
  /** Local path of the source image, when there was one. */
  sourceImage?: string;
  /** Absolute folder the video goes to (resolved when the task was created). */
  outputDir: string;
  /** The video's name without `.mp4` (`intro` for `intro.video.md`); absent: named after the prompt. */
  outputName?: string;
  origin?: TaskOrigin;
  createdAt: number;
  updatedAt: number;
  state: LocalTaskState;
  history: StateChange[];
  resultUrls?: string[];
  /** Absolute path of the downloaded video. */
  localFile?: string;
  error?: TaskError;
  /** Credits Kie reports the task consumed, when it does. */
  creditsConsumed?: number;
  /** Kie's costTime, milliseconds, when reported. */
  costTimeMs?: number;
  /** When the scheduler flagged the task as running far longer than usual. */
  overdueNotifiedAt?: number;
  /** Which window owns polling/downloading, with a heartbeat so a dead window's tasks are taken over. */
  owner?: { id: string; heartbeatAt: number };
}

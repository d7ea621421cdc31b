import { findBundled } from '../../core/models/bundledSpecs';
import { ACTIVE_STATES, isResumable, type LocalTaskState, type TaskError, type TaskRecord } from '../../core/tasks/task';
import { presentError } from '../presentation/errorPresentation';
import { modelDisplayName } from '../presentation/modelName';
import type { Translate } from '../presentation/translate';

export { isResumable };

/** "42s", "3:07", "1:02:05": short enough for a tree item description and a progress line. */
export function formatElapsed(ms: number, t: Translate): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return `${h}:${pad(m)}:${pad(s)}`;
  if (m > 0) return `${m}:${pad(s)}`;
  return t('{0}s', s);
}

/** Time from submission to now while running, or to the last state change once finished. */
export function elapsedMs(task: TaskRecord, now: number): number {
  const end = isRunning(task) || task.state === 'submitting' ? now : task.updatedAt;
  return end - task.createdAt;
}

export function isRunning(task: TaskRecord): boolean {
  return ACTIVE_STATES.has(task.state);
}

/** Groups states into what the tree's context menus care about (`viewItem == task.running`…). */
export type TaskGroup = 'running' | 'completed' | 'failed' | 'stopped' | 'unknown';

export function taskGroup(state: LocalTaskState): TaskGroup {
  switch (state) {
    case 'submitting':
    case 'queued':
    case 'generating':
    case 'succeeded':
    case 'downloading':
      return 'running';
    case 'completed':
      return 'completed';
    case 'failed':
      return 'failed';
    case 'stopped':
      return 'stopped';
    case 'unknown':
      return 'unknown';
  }
}

export function stateLabel(state: LocalTaskState, t: Translate): string {
  switch (state) {
    case 'submitting':
      return t('submitting');
    case 'queued':
      return t('queued');
    case 'generating':
      return t('generating');
    case 'succeeded':
      return t('finished, download pending');
    case 'downloading':
      return t('downloading');
    case 'completed':
      return t('ready');
    case 'failed':
      return t('failed');
    case 'stopped':
      return t('stopped waiting');
    case 'unknown':
      return t('submission unconfirmed');
  }
}

/** Codicon id per group; running spins. */
export function taskIcon(state: LocalTaskState): string {
  switch (taskGroup(state)) {
    case 'running':
      return 'sync~spin';
    case 'completed':
      return 'device-camera-video';
    case 'failed':
      return 'error';
    case 'stopped':
      return 'debug-pause';
    case 'unknown':
      return 'question';
  }
}

/** The prompt on one line, cut at a word boundary when long. */
export function promptTitle(prompt: string, max = 60): string {
  const flat = prompt.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export function modelLabel(modelId: string, t: Translate): string {
  return modelDisplayName(findBundled(modelId), t) ?? modelId;
}

/** Why a task failed, in the user's words (Kie's own text quoted inside), without the task id the row shows. */
export function failureReason(error: TaskError, t: Translate): string {
  return presentError({ ...error, taskId: undefined }, t).text;
}

/** The tree item's description: state and elapsed time while running, the reason when it failed. */
export function taskDescription(task: TaskRecord, now: number, t: Translate): string {
  const state = stateLabel(task.state, t);
  switch (taskGroup(task.state)) {
    case 'running':
      return t('{0} · {1}', state, formatElapsed(elapsedMs(task, now), t));
    case 'failed':
      return task.error ? t('{0}: {1}', state, failureReason(task.error, t)) : state;
    case 'completed':
      return t('{0} · {1}', modelLabel(task.model, t), formatElapsed(elapsedMs(task, now), t));
    default:
      return state;
  }
}


/** The tree item's contextValue, matched by the view/item/context menus in package.json. */
export function taskContextValue(task: TaskRecord): string {
  const group = taskGroup(task.state);
  return isResumable(task) ? `task.${group}.resumable` : `task.${group}`;
}

import * as path from 'path';
import { findBundled } from '../../core/models/bundledSpecs';
import { priceFor } from '../../core/models/pricing';
import type { VideoChoices } from '../../core/models/spec';
import type { TaskRecord } from '../../core/tasks/task';
import { taskGroup } from '../tasks/taskPresentation';
import type { Translate } from '../presentation/translate';

/**
 * A prompt-file batch as one group in the Sora view: its tasks under one item whose description is the
 * batch's progress. Tree elements are strings: a group is `batch:<batchId>`, a task its id. Pure (no
 * `vscode` import) so the grouping is unit-tested in Node.
 */

export const BATCH_ELEMENT = 'batch:';

export function isBatchElement(element: string): boolean {
  return element.startsWith(BATCH_ELEMENT);
}

function batchIdOf(task: TaskRecord): string | undefined {
  return task.origin?.kind === 'promptFile' ? task.origin.batchId : undefined;
}

function byBatch(tasks: readonly TaskRecord[]): Map<string, TaskRecord[]> {
  const groups = new Map<string, TaskRecord[]>();
  for (const t of tasks) {
    const b = batchIdOf(t);
    if (b) groups.set(b, [...(groups.get(b) ?? []), t]);
  }
  return groups;
}

/** The view's top level, newest first: batches of two or more tasks as one element, every other task alone. */
export function topLevel(tasks: readonly TaskRecord[]): string[] {
  const groups = byBatch(tasks);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of [...tasks].sort((a, b) => b.createdAt - a.createdAt)) {
    const b = batchIdOf(t);
    if (b && (groups.get(b)?.length ?? 0) > 1) {
      if (!seen.has(b)) out.push(BATCH_ELEMENT + b);
      seen.add(b);
    } else out.push(t.id);
  }
  return out;
}

export function batchTasks(element: string, tasks: readonly TaskRecord[]): TaskRecord[] {
  const id = element.slice(BATCH_ELEMENT.length);
  return tasks.filter((t) => batchIdOf(t) === id).sort((a, b) => (a.origin?.file ?? '').localeCompare(b.origin?.file ?? '') || (a.origin?.variant ?? 0) - (b.origin?.variant ?? 0));
}

/** The group a task is shown under, if any. */
export function parentOf(task: TaskRecord, tasks: readonly TaskRecord[]): string | undefined {
  const b = batchIdOf(task);
  return b && tasks.filter((t) => batchIdOf(t) === b).length > 1 ? BATCH_ELEMENT + b : undefined;
}

export interface BatchProgress {
  done: number;
  running: number;
  failed: number;
  /** Credits Kie reported, else the estimate by the model's price rule. */
  credits: number;
  estimated: boolean;
}

export function batchProgress(tasks: readonly TaskRecord[]): BatchProgress {
  const p: BatchProgress = { done: 0, running: 0, failed: 0, credits: 0, estimated: false };
  for (const t of tasks) {
    const g = taskGroup(t.state);
    if (g === 'completed') p.done++;
    else if (g === 'running') p.running++;
    else p.failed++;
    if (g === 'failed' && t.taskId === undefined) continue;
    if (t.creditsConsumed !== undefined) p.credits += t.creditsConsumed;
    else {
      const spec = findBundled(t.model);
      const c = spec ? priceFor(spec, t.request as unknown as VideoChoices).credits : undefined;
      if (c !== undefined) {
        p.credits += c;
        p.estimated = true;
      }
    }
  }
  p.credits = Math.round(p.credits * 10) / 10;
  return p;
}

export function batchLabel(tasks: readonly TaskRecord[], t: Translate): { label: string; description: string } {
  const files = [...new Set(tasks.map((x) => x.origin?.file).filter((f): f is string => !!f))];
  const folders = [...new Set(files.map((f) => path.basename(path.dirname(f))))];
  const p = batchProgress(tasks);
  const credits = p.estimated ? t('≈{0} credits', p.credits) : t('{0} credits', p.credits);
  return {
    label: files.length === 1 ? t('{0}: {1} takes', path.basename(files[0]), tasks.length) : t('Batch: {0} prompt files in {1}', files.length, folders.join(', ')),
    description: t('{0} done · {1} running · {2} failed · {3}', p.done, p.running, p.failed, credits),
  };
}

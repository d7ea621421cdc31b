import { randomBytes } from 'node:crypto';
import { isKieError } from '../kie/errors';
import type { GenerationRequest } from '../models/spec';
import type { TaskOrigin, TaskRecord } from '../tasks/task';
import type { PlanEntry } from './batchPlan';
import type { LockEntry, PromptLock } from './promptLock';

/**
 * Sends a planned batch. Each file's lock entry (its input hash and the batch id) is written before its
 * first task is sent, and every ledger record carries `origin: {kind: 'promptFile', file, batchId}`, so
 * whatever happens to the window, a later plan sees the file as sent and never sends it twice. Kie's
 * creation limit is the task service's business: it holds each submission until a creation fits. The
 * batch budget is checked here again, file by file as each is taken, so no caller can send past it
 * whatever entries it passes.
 */

export interface PromptSubmission {
  /** Image paths are local; the task service checks and uploads them. */
  request: GenerationRequest;
  outputDir: string;
  outputName: string;
  origin: TaskOrigin;
}

export interface PromptTaskSubmitter {
  submit(input: PromptSubmission): Promise<TaskRecord>;
}

export interface BatchRunOptions {
  entries: readonly PlanEntry[];
  batchId?: string;
  submitter: PromptTaskSubmitter;
  lockFor(file: string): Promise<PromptLock>;
  outputFor(file: string): { dir: string; name: string };
  onSubmitted?(entry: PlanEntry, task: TaskRecord): void;
  /**
   * `sora.batchBudgetCredits` (0 or absent = no cap): files are taken in order and the batch stops at the
   * first whose estimate (or unknown price) would take the batch's estimated spend past it.
   */
  budget?: number;
  /** Submissions in flight at once (default 4): enough to keep Kie's creation budget busy. */
  concurrency?: number;
  signal?: AbortSignal;
}

export interface BatchRunResult {
  batchId: string;
  submitted: { file: string; tasks: TaskRecord[] }[];
  failed: { file: string; error: unknown; tasks: TaskRecord[] }[];
  /** Files not sent because an account-wide refusal (no key, no credits) stopped the batch. */
  notSent: string[];
  /** Files not sent because the batch budget stopped the batch before them. */
  overBudget: string[];
  stoppedBy?: unknown;
}

/** Errors that every further submission would meet too: the batch stops instead of repeating them. */
function stopsBatch(e: unknown): boolean {
  return isKieError(e) && (e.kind === 'unauthorized' || e.kind === 'insufficientCredits' || e.kind === 'cancelled');
}

export function newBatchId(): string {
  return `b-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export async function runBatch(opts: BatchRunOptions): Promise<BatchRunResult> {
  const batchId = opts.batchId ?? newBatchId();
  const result: BatchRunResult = { batchId, submitted: [], failed: [], notSent: [], overBudget: [] };
  const queue = [...opts.entries];
  const budget = Math.max(0, opts.budget ?? 0);
  // Counted when a file is taken, before its submission, so concurrent workers keep the plan's order.
  // A submission Kie refuses keeps its share: what is sent stays the prefix the plan showed.
  let committed = 0;
  let overBudget = false;
  const fitsBudget = (entry: PlanEntry): boolean => {
    if (budget === 0) return true;
    if (!overBudget && entry.credits !== undefined && committed + entry.credits <= budget) {
      committed += entry.credits;
      return true;
    }
    overBudget = true;
    return false;
  };
  const sendOne = async (entry: PlanEntry): Promise<void> => {
    if (!entry.request || !entry.hash) return;
    const lock = await opts.lockFor(entry.file);
    const fresh: LockEntry = { hash: entry.hash, batchId, at: new Date().toISOString(), tasks: [], ...(entry.credits !== undefined ? { estimatedCredits: entry.credits } : {}) };
    await lock.update(entry.file, () => fresh);
    const { dir, name } = opts.outputFor(entry.file);
    const tasks: TaskRecord[] = [];
    try {
      for (let v = 1; v <= entry.variants; v++) {
        const task = await opts.submitter.submit({
          request: entry.request,
          outputDir: dir,
          outputName: name,
          origin: { kind: 'promptFile', file: entry.file, batchId, ...(entry.variants > 1 ? { variant: v } : {}) },
        });
        tasks.push(task);
        await lock.update(entry.file, (e) => (e && e.batchId === batchId ? { ...e, tasks: [...e.tasks, { id: task.id, ...(task.taskId ? { taskId: task.taskId } : {}) }] } : e));
        opts.onSubmitted?.(entry, task);
      }
      result.submitted.push({ file: entry.file, tasks });
    } catch (e) {
      result.failed.push({ file: entry.file, error: e, tasks });
      if (stopsBatch(e)) result.stoppedBy ??= e;
    }
  };
  const worker = async (): Promise<void> => {
    for (;;) {
      const next = queue.shift();
      if (!next) return;
      if (result.stoppedBy !== undefined || opts.signal?.aborted) {
        result.notSent.push(next.file);
        continue;
      }
      if (!fitsBudget(next)) {
        result.overBudget.push(next.file);
        continue;
      }
      await sendOne(next);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, () => worker()));
  return result;
}

/**
 * Records a finished task in the lock: its Kie id, its video and its credits, and the file's canonical
 * video when this take has the file's own name. Tasks of an older batch (the inputs changed since) are
 * left out: the entry describes the current inputs only.
 */
export async function recordCompletion(lock: PromptLock, task: TaskRecord, canonicalPath: string, lookup: (id: string) => TaskRecord | undefined): Promise<LockEntry | undefined> {
  const file = task.origin?.file;
  if (task.origin?.kind !== 'promptFile' || !file || !task.localFile) return undefined;
  return lock.update(file, (e) => {
    if (!e || e.batchId !== task.origin?.batchId) return e;
    const known = e.tasks.some((t) => t.id === task.id);
    // A sibling take renamed to make room for this one: the ledger knows where it went.
    const tasks = (known ? e.tasks : [...e.tasks, { id: task.id }]).map((t) => {
      const rec = t.id === task.id ? task : lookup(t.id);
      if (!rec) return t;
      return {
        ...t,
        ...(rec.taskId ? { taskId: rec.taskId } : {}),
        ...(rec.localFile ? { output: lock.relative(rec.localFile) } : {}),
        ...(rec.creditsConsumed !== undefined ? { credits: rec.creditsConsumed } : {}),
      };
    });
    const canonical = task.localFile === canonicalPath;
    return { ...e, tasks, ...(canonical ? { output: lock.relative(canonicalPath), kept: task.id } : {}) };
  });
}

import { priceFor } from '../models/pricing';
import type { GenerationRequest, ModelSpec } from '../models/spec';
import { ACTIVE_STATES, type TaskRecord } from '../tasks/task';
import { inputHash, type ReadBytes } from './inputHash';
import { diagnoseImages, diagnosePromptFile, type ModelLookup, type PromptDiagnostic } from './promptDiagnostics';
import { parsePromptFile } from './promptFile';
import type { LockEntry } from './promptLock';

/**
 * What generating a set of prompt files would do, computed before anything is sent: which are up to
 * date (same inputs as the lock records, video made), which are still running from an earlier run,
 * which will be generated and at what estimated cost, and where a budget stops the batch.
 */

export type PlanStatus =
  /** Same inputs as the video on record: nothing is sent. */
  | 'upToDate'
  /** Sent with these inputs and still running (e.g. before a reload): not sent again. */
  | 'running'
  /** Sent with these inputs, but Kie's answer never arrived: it may exist, so it is not sent again by a batch. */
  | 'uncertain'
  /** New, changed, failed last time, or its video is gone: will be sent. */
  | 'generate'
  /** Has problems (see `diagnostics`): not sent. */
  | 'invalid';

export interface PlanEntry {
  file: string;
  status: PlanStatus;
  /** Why it is to be generated. */
  reason?: 'new' | 'changed' | 'failed' | 'missingVideo';
  request?: GenerationRequest;
  spec?: ModelSpec;
  variants: number;
  hash?: string;
  /** Estimated credits for all its variants; undefined when the model's price is not known. */
  credits?: number;
  diagnostics: PromptDiagnostic[];
  /** For 'generate': false when the budget stopped the batch before this file. */
  withinBudget?: boolean;
}

export interface BatchPlan {
  entries: PlanEntry[];
  counts: Record<PlanStatus, number>;
  /** The files that will be sent, in order. */
  toSend: PlanEntry[];
  /** Files to generate that the budget leaves out. */
  overBudget: PlanEntry[];
  /** Estimated credits of `toSend`. */
  credits: number;
  /** Files in `toSend` whose price is unknown (not in `credits`). */
  unpriced: number;
  /** 0 = no cap. */
  budget: number;
  /** The balance minus `credits`, when the balance is known. */
  balanceAfter?: number;
}

export interface PlanSources {
  /** Each prompt file with its current text (the editor's unsaved text where there is one). */
  files: readonly { file: string; text: string }[];
  lockEntry(file: string): LockEntry | undefined;
  /** This machine's task history. */
  tasks: readonly TaskRecord[];
  models: ModelLookup;
  /** Whether the video the lock names is still there. */
  exists(filePath: string): Promise<boolean>;
  /** Resolves a path the file's lock stores (relative to the lock's folder). */
  lockPath(file: string, rel: string): string;
  readBytes?: ReadBytes;
  /** `sora.batchBudgetCredits`: 0 = no cap. */
  budget?: number;
  balance?: number;
}

/** The records of a lock entry: those it lists, and those a window sent before it could list them. */
export function entryTasks(file: string, entry: LockEntry, tasks: readonly TaskRecord[]): TaskRecord[] {
  const listed = new Set(entry.tasks.map((t) => t.id));
  return tasks.filter((r) => listed.has(r.id) || (r.origin?.kind === 'promptFile' && r.origin.file === file && r.origin.batchId === entry.batchId));
}

async function statusOf(file: string, hash: string, sources: PlanSources): Promise<Pick<PlanEntry, 'status' | 'reason'>> {
  const entry = sources.lockEntry(file);
  if (!entry) return { status: 'generate', reason: 'new' };
  if (entry.hash !== hash) return { status: 'generate', reason: 'changed' };
  const records = entryTasks(file, entry, sources.tasks);
  if (records.some((r) => r.state === 'submitting' || ACTIVE_STATES.has(r.state))) return { status: 'running' };
  const output = entry.output ?? entry.tasks.find((t) => t.output)?.output;
  if (output) return (await sources.exists(sources.lockPath(file, output))) ? { status: 'upToDate' } : { status: 'generate', reason: 'missingVideo' };
  const done = records.find((r) => r.state === 'completed' && r.localFile);
  if (done?.localFile) return (await sources.exists(done.localFile)) ? { status: 'upToDate' } : { status: 'generate', reason: 'missingVideo' };
  if (records.some((r) => r.state === 'unknown')) return { status: 'uncertain' };
  // Listed tasks this machine does not know ran elsewhere and left no video: make it here.
  return { status: 'generate', reason: records.length ? 'failed' : 'new' };
}

export async function planEntry(file: string, text: string, sources: PlanSources): Promise<PlanEntry> {
  const parsed = parsePromptFile(text, file);
  const diagnostics = diagnosePromptFile(parsed, sources.models);
  const request = parsed.request;
  const spec = request ? sources.models.spec(request.model) : undefined;
  const base: PlanEntry = { file, status: 'invalid', variants: parsed.variants, diagnostics, ...(request ? { request } : {}), ...(spec ? { spec } : {}) };
  if (diagnostics.length > 0 || !request || !spec) return base;
  const images = await diagnoseImages(parsed);
  if (images.length > 0) return { ...base, diagnostics: images };
  const hash = await inputHash(request, sources.readBytes);
  const price = priceFor(spec, request).credits;
  return { ...base, hash, ...(await statusOf(file, hash, sources)), ...(price !== undefined ? { credits: Math.round(price * parsed.variants * 10) / 10 } : {}) };
}

/**
 * Plans a batch. Files are taken in path order; under a budget, the batch stops at the first file whose
 * estimate would take the total past it (a file whose price is unknown stops it too: its cost cannot be
 * checked), so what is sent is a prefix the user can predict, never a selection of the cheap ones.
 */
export async function planBatch(sources: PlanSources): Promise<BatchPlan> {
  const files = [...sources.files].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const entries: PlanEntry[] = [];
  // Parsing and hashing are independent per file; a few at a time keeps a large folder from opening every image at once.
  const width = 16;
  for (let i = 0; i < files.length; i += width) {
    entries.push(...(await Promise.all(files.slice(i, i + width).map((f) => planEntry(f.file, f.text, sources)))));
  }
  const budget = Math.max(0, sources.budget ?? 0);
  const counts: Record<PlanStatus, number> = { upToDate: 0, running: 0, uncertain: 0, generate: 0, invalid: 0 };
  const toSend: PlanEntry[] = [];
  const overBudget: PlanEntry[] = [];
  let credits = 0;
  let unpriced = 0;
  let stopped = false;
  for (const e of entries) {
    counts[e.status]++;
    if (e.status !== 'generate') continue;
    if (!stopped && budget > 0 && (e.credits === undefined || credits + e.credits > budget)) stopped = true;
    e.withinBudget = !stopped;
    if (stopped) {
      overBudget.push(e);
      continue;
    }
    toSend.push(e);
    if (e.credits === undefined) unpriced++;
    else credits += e.credits;
  }
  credits = Math.round(credits * 10) / 10;
  return {
    entries,
    counts,
    toSend,
    overBudget,
    credits,
    unpriced,
    budget,
    ...(sources.balance !== undefined ? { balanceAfter: Math.round((sources.balance - credits) * 10) / 10 } : {}),
  };
}

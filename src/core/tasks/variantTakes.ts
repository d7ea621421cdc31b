import { ACTIVE_STATES, type TaskRecord } from './task';

/**
 * The variants of one Generate: every task that came from the same place (the form, or one prompt
 * file) in the same batch with a variant number. The form, prompt files and their CodeLens all ask
 * which takes there are to compare; this is the one answer.
 */
export function variantSiblings(records: readonly TaskRecord[], of: TaskRecord): TaskRecord[] {
  const o = of.origin;
  if (!o?.batchId || o.variant === undefined) return [];
  return records.filter((r) => r.origin?.kind === o.kind && r.origin.batchId === o.batchId && r.origin.file === o.file && r.origin.variant !== undefined);
}

/**
 * The takes to compare once none of the siblings is still under way: the finished ones with a video,
 * in variant order. Undefined while one is still submitting, generating or downloading, or when fewer
 * than two finished.
 */
export function finishedTakes(siblings: readonly TaskRecord[]): TaskRecord[] | undefined {
  if (siblings.some((r) => r.state === 'submitting' || ACTIVE_STATES.has(r.state))) return undefined;
  const done = siblings.filter((r) => r.state === 'completed' && r.localFile).sort((a, b) => (a.origin?.variant ?? 0) - (b.origin?.variant ?? 0));
  return done.length >= 2 ? done : undefined;
}

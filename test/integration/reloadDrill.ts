import { promises as fs } from 'node:fs';

/**
 * The reload suite runs twice in one page: before the reload it starts a task and runs "Developer:
 * Reload Window"; the same payload then loads again, and this state file (written before the reload)
 * tells the second run that it comes after it.
 */
export const RELOAD_PROMPT = 'A lighthouse beam sweeping over a stormy sea at dusk';
export const RELOAD_MODEL = 'veo3_fast';
/** Long enough that the task is still running when the old extension host is gone, even on a slow machine. */
export const RELOAD_TASK_MS = 30_000;

/** The batch drill: a folder of three prompt files, generated together, still running at the reload. */
export const RELOAD_BATCH_FOLDER = 'reload-batch';
export const RELOAD_BATCH_FILES: readonly (readonly [name: string, prompt: string])[] = [
  ['dawn', 'A fishing harbour at dawn, boats leaving one by one'],
  ['noon', 'The same harbour at noon, gulls over the nets'],
  ['dusk', 'The harbour at dusk, lanterns lit on every boat'],
];

export interface ReloadState {
  /** Kie's task id, as the simulator knows it. */
  taskId: string;
  /** The extension host that started the task; it must be gone before the new one is judged. */
  hostPid: number;
  /** When part 1 began: every result download after it is this task's. */
  startedAt: number;
  reloadedAt: number;
  /** The batch part 1 sent: its id and the ledger ids of its three tasks. */
  batch: { batchId: string; taskIds: string[] };
}

function statePath(): string {
  const p = process.env.SORA_RELOAD_STATE;
  if (!p) throw new Error('SORA_RELOAD_STATE is not set: run the suite through scripts/run-integration.mjs');
  return p;
}

export async function readReloadState(): Promise<ReloadState | undefined> {
  try {
    return JSON.parse(await fs.readFile(statePath(), 'utf8')) as ReloadState;
  } catch {
    return undefined;
  }
}

export async function writeReloadState(state: ReloadState): Promise<void> {
  await fs.writeFile(statePath(), JSON.stringify(state));
}

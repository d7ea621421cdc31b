import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { planBatch, type BatchPlan, type PlanEntry, type PlanSources } from '../../core/prompts/batchPlan';
import { newBatchId, recordCompletion, runBatch, type BatchRunResult } from '../../core/prompts/batchRunner';
import { modelLookup } from '../../core/prompts/modelLookup';
import { promptOutputPlace } from '../../core/prompts/outputPlace';
import type { ModelLookup } from '../../core/prompts/promptDiagnostics';
import { LOCK_FILE_NAME, PromptLock } from '../../core/prompts/promptLock';
import { taskServiceSubmitter } from '../../core/prompts/taskServiceSubmitter';
import type { TaskRecord } from '../../core/tasks/task';
import type { TaskEvent } from '../../core/tasks/taskService';
import type { CoreServices } from '../coreServices';
import type { SoraLog } from '../log';
import type { Settings } from '../settings/settings';

/**
 * Prompt files' runs: where their lock is, what a set of them would do (the plan), sending a plan, and
 * recording finished takes in the lock. The commands, the CodeLens and the Sora view all go through
 * here, so they agree on what "up to date" means.
 */
export class PromptRuns implements vscode.Disposable {
  private readonly locks = new Map<string, Promise<PromptLock>>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a prompt file's lock entry or one of its tasks changed (CodeLens refresh). */
  readonly onDidChange = this.changed.event;
  readonly models: ModelLookup = modelLookup();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private readonly completed = new vscode.EventEmitter<TaskRecord>();
  /** A prompt file's take finished and is recorded in its lock. */
  readonly onDidRecordTake = this.completed.event;

  constructor(
    private readonly core: CoreServices,
    private readonly settings: Settings,
    private readonly log: SoraLog,
  ) {
    this.disposables.push(
      this.completed,
      core.onDidStartService((service) => {
        const sub = service.onEvent((e) => this.onTaskEvent(e));
        this.disposables.push({ dispose: () => sub.dispose() });
      }),
      core.onDidOpenLedger((ledger) => {
        const sub = ledger.onDidChange((id) => {
          if (ledger.get(id)?.origin?.kind === 'promptFile') this.changed.fire();
        });
        this.disposables.push({ dispose: () => sub.dispose() });
      }),
    );
  }

  /** The folder whose `.sora-lock.json` holds this prompt file: its workspace folder, else its own folder. */
  lockRoot(file: string): string {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file));
    return folder && folder.uri.scheme === 'file' ? folder.uri.fsPath : path.dirname(file);
  }

  lockFor(file: string): Promise<PromptLock> {
    const lockPath = path.join(this.lockRoot(file), LOCK_FILE_NAME);
    let lock = this.locks.get(lockPath);
    if (!lock) {
      lock = PromptLock.open(lockPath);
      lock.catch(() => this.locks.delete(lockPath));
      this.locks.set(lockPath, lock);
    }
    return lock;
  }

  outputFor(file: string): { dir: string; name: string } {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file));
    return promptOutputPlace(file, folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined, this.settings.outputFolder());
  }

  canonicalVideo(file: string): string {
    const { dir, name } = this.outputFor(file);
    return path.join(dir, `${name}.mp4`);
  }

  /** Plans these prompt files (text as given, else from disk), each lock read fresh from disk. */
  async plan(files: readonly { file: string; text?: string }[], balance?: number): Promise<BatchPlan> {
    const ledger = await this.core.ledger();
    const withText = await Promise.all(files.map(async (f) => ({ file: f.file, text: f.text ?? (await fs.readFile(f.file, 'utf8')) })));
    const locks = new Map<string, PromptLock>();
    for (const f of withText) {
      const lock = await this.lockFor(f.file);
      if (!locks.has(lock.lockPath)) {
        await lock.reload();
        locks.set(lock.lockPath, lock);
      }
    }
    const lockOf = (file: string): PromptLock => locks.get(path.join(this.lockRoot(file), LOCK_FILE_NAME))!;
    const sources: PlanSources = {
      files: withText,
      lockEntry: (file) => lockOf(file).get(file),
      tasks: ledger.all(),
      models: this.models,
      exists: (p) => fs.access(p).then(() => true, () => false),
      lockPath: (file, rel) => lockOf(file).absolute(rel),
      budget: this.settings.batchBudgetCredits(),
      ...(balance !== undefined ? { balance } : {}),
    };
    return planBatch(sources);
  }

  /**
   * Sends planned entries; nothing else sends a prompt file. `budget` is the plan's batch budget: the
   * runner holds every file to it again as it sends (a single file generated on its own has none).
   */
  async send(entries: readonly PlanEntry[], { budget = 0, batchId = newBatchId() }: { budget?: number; batchId?: string } = {}): Promise<BatchRunResult> {
    await this.core.client();
    const service = await this.core.taskService();
    const result = await runBatch({
      entries,
      batchId,
      budget,
      submitter: taskServiceSubmitter(service),
      lockFor: (f) => this.lockFor(f),
      outputFor: (f) => this.outputFor(f),
      onSubmitted: () => this.changed.fire(),
    });
    for (const f of result.failed) this.log.error(`Prompt file ${f.file} was not sent.`, f.error);
    this.changed.fire();
    return result;
  }

  /** The records of this file's current lock entry, newest first. */
  async tasksOf(file: string): Promise<TaskRecord[]> {
    const lock = await this.lockFor(file);
    const entry = lock.get(file);
    const ledger = await this.core.ledger();
    if (!entry) return [];
    const listed = new Set(entry.tasks.map((t) => t.id));
    return ledger
      .all()
      .filter((r) => listed.has(r.id) || (r.origin?.kind === 'promptFile' && r.origin.file === file && r.origin.batchId === entry.batchId))
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  private onTaskEvent(e: TaskEvent): void {
    if (e.type !== 'completed' || e.task.origin?.kind !== 'promptFile' || !e.task.origin.file) return;
    const task = e.task;
    const file = task.origin!.file!;
    void (async () => {
      const lock = await this.lockFor(file);
      const ledger = await this.core.ledger();
      await recordCompletion(lock, task, this.canonicalVideo(file), (id) => ledger.get(id));
      this.changed.fire();
      this.completed.fire(task);
    })().catch((err: unknown) => this.log.error(`Could not record ${task.localFile ?? task.id} in the prompt lock.`, err));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

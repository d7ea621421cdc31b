import * as vscode from 'vscode';
import type { TaskEvent } from '../../core/tasks/taskService';
import type { TaskRecord } from '../../core/tasks/task';
import type { TaskLedger } from '../../core/tasks/ledger';
import { finishedTakes, variantSiblings } from '../../core/tasks/variantTakes';
import type { CompareOptions } from './compareView';

export interface FormVariantsDeps {
  ledger(): Promise<TaskLedger>;
  openCompare(request: CompareOptions): unknown;
  /** "Keep This One" for takes without a prompt file: the take opens in the Sora Player. */
  openVideo(taskId: string): Promise<void>;
  logError(message: string, err: unknown): void;
}

/**
 * The form's Variants: once every take of one Generate has finished, they open side by side. (Prompt
 * files' variants open from PromptFileCommands, whose Keep also renames the file's video.)
 */
export class FormVariants {
  private readonly compared = new Set<string>();

  constructor(private readonly deps: FormVariantsDeps) {}

  onTaskEvent(e: TaskEvent): void {
    if (e.type !== 'completed' || e.task.origin?.kind !== 'form' || e.task.origin.variant === undefined || !e.task.origin.batchId) return;
    void this.offer(e.task).catch((err: unknown) => this.deps.logError('Could not open the form\'s variants side by side.', err));
  }

  private async offer(task: TaskRecord): Promise<void> {
    const batchId = task.origin!.batchId!;
    if (this.compared.has(batchId)) return;
    const ledger = await this.deps.ledger();
    const done = finishedTakes(variantSiblings(ledger.all(), task));
    if (!done) return;
    this.compared.add(batchId);
    this.deps.openCompare({
      title: vscode.l10n.t('{0} takes of one prompt', done.length),
      takes: done.map((r) => ({
        taskId: r.id,
        videoPath: r.localFile!,
        ...(r.request.seed !== undefined ? { seed: r.request.seed } : {}),
        ...(r.creditsConsumed !== undefined ? { credits: r.creditsConsumed } : {}),
      })),
      onKeep: (id) => this.deps.openVideo(id),
    });
  }
}

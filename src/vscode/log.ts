import * as vscode from 'vscode';
import type { TaskEvent } from '../core/tasks/taskService';
import type { RequestLogEntry } from '../core/types';
import { formatRequestLine, redactSecrets } from './requestLogLine';

/** The "Sora" output channel: every Kie request as one line, failures at warning level. */
export class SoraLog implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel = vscode.window.createOutputChannel('Sora', { log: true });

  readonly request = (entry: RequestLogEntry): void => {
    const line = formatRequestLine(entry);
    const failed = entry.error !== undefined || (entry.status !== undefined && entry.status >= 400) || (entry.code !== undefined && entry.code !== 200);
    if (failed) this.channel.warn(line);
    else this.channel.info(line);
  };

  /** Outcomes only: 'updated' fires on every ledger write and the request lines already show progress. */
  taskEvent(e: TaskEvent): void {
    const { id, taskId, state, localFile, error } = e.task;
    const base = `Task ${id}${taskId ? ` (${taskId})` : ''} ${e.type}: ${state}`;
    if (e.type === 'accepted') this.info(`${base}: Kie accepted it as ${taskId ?? '?'}`);
    else if (e.type === 'pollProblem') this.channel.warn(redactSecrets(`${base}: polling fails: ${e.error.kind} ${e.error.detail ?? e.error.message}`));
    else if (e.type === 'completed') this.info(`${base} → ${localFile ?? '?'}`);
    else if (e.type === 'failed') this.channel.warn(redactSecrets(`${base}: ${error?.kind ?? ''} ${error?.detail ?? error?.message ?? ''}`));
    else if (e.type === 'overdue') this.channel.warn(base);
  }

  info(text: string): void {
    this.channel.info(redactSecrets(text));
  }

  error(text: string, err?: unknown): void {
    const reason = err instanceof Error ? `${err.name}: ${err.message}` : err === undefined ? '' : String(err);
    this.channel.error(redactSecrets(reason ? `${text} ${reason}` : text));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

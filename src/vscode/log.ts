import * as vscode from 'vscode';
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

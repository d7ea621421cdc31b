import * as vscode from 'vscode';
import type { TaskLedger } from '../../core/tasks/ledger';
import type { CoreServices } from '../coreServices';
import { taskGroup } from './taskPresentation';

/** "$(sync~spin) Sora: 2" while tasks run (in any window); hidden otherwise. Click shows the list. */
export class TaskStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('sora.running', vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(core: CoreServices) {
    this.item.name = vscode.l10n.t('Sora Video Tasks');
    this.item.command = 'sora.showTasks';
    this.disposables.push(core.onDidOpenLedger((ledger) => this.attach(ledger)));
  }

  private attach(ledger: TaskLedger): void {
    const sub = ledger.onDidChange(() => this.update(ledger));
    this.disposables.push({ dispose: () => sub.dispose() });
    this.update(ledger);
  }

  private update(ledger: TaskLedger): void {
    const running = ledger.all().filter((t) => taskGroup(t.state) === 'running').length;
    if (running === 0) {
      this.item.hide();
      return;
    }
    this.item.text = vscode.l10n.t('$(sync~spin) Sora: {0}', running);
    this.item.tooltip = vscode.l10n.t('{0} Sora video task(s) running. Click to show them.', running);
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

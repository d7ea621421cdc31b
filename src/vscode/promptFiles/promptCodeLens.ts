import * as vscode from 'vscode';
import { isPromptFile } from '../../core/prompts/promptFile';
import { finishedTakes, variantSiblings } from '../../core/tasks/variantTakes';
import { taskGroup } from '../tasks/taskPresentation';
import { lensTitles } from './lensText';
import { PROMPT_FILE_SELECTOR } from './promptDiagnosticsProvider';
import type { PromptRuns } from './promptRuns';

/**
 * Above the front matter: "▶ Generate · ≈60 credits" (or "Regenerate" when the inputs changed since
 * the last video), and the last run's state from the task history ("✓ 2 h ago · Open", "generating 35
 * s", "✗ failed: <reason>"), and once it has a finished video, "Continue from Last Frame"; once its
 * variants have finished, "Compare N Takes", so the takes can be watched and kept after the compare
 * view was closed or the window reloaded.
 */
export class PromptCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private ticker: ReturnType<typeof setInterval> | undefined;
  private readonly running = new Set<string>();

  constructor(private readonly runs: PromptRuns) {
    this.disposables.push(
      this.changed,
      vscode.languages.registerCodeLensProvider(PROMPT_FILE_SELECTOR, this),
      runs.onDidChange(() => this.changed.fire()),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (isPromptFile(d.uri.fsPath)) this.changed.fire();
      }),
    );
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (doc.uri.scheme !== 'file') return [];
    const file = doc.uri.fsPath;
    const [plan, tasks] = await Promise.all([this.runs.plan([{ file, text: doc.getText() }]), this.runs.tasksOf(file)]);
    const entry = plan.entries[0];
    const latest = tasks[0];
    const titles = lensTitles(entry, latest, Date.now(), vscode.l10n.t);
    const at = new vscode.Range(0, 0, 0, 0);
    const lenses: vscode.CodeLens[] = [];
    if (titles.generate) lenses.push(new vscode.CodeLens(at, { title: titles.generate, command: 'sora.generateFromPromptFile', arguments: [doc.uri] }));
    if (titles.state) {
      lenses.push(new vscode.CodeLens(at, { title: titles.state, command: latest ? 'sora.showTasks' : '', arguments: latest ? [latest.id] : [] }));
    }
    if (titles.open && latest) {
      lenses.push(new vscode.CodeLens(at, { title: vscode.l10n.t('Open'), command: 'sora.openVideo', arguments: [latest.id] }));
      // The frame is taken in the player's webview: the command opens the player and asks it for the last frame.
      lenses.push(new vscode.CodeLens(at, { title: vscode.l10n.t('Continue from Last Frame'), command: 'sora.continueFromLastFrame', arguments: [latest.id] }));
    }
    const takes = latest ? finishedTakes(variantSiblings(tasks, latest)) : undefined;
    if (takes) lenses.push(new vscode.CodeLens(at, { title: vscode.l10n.t('Compare {0} Takes', takes.length), command: 'sora.comparePromptTakes', arguments: [doc.uri] }));
    this.tick(doc.uri.toString(), latest !== undefined && taskGroup(latest.state) === 'running');
    return lenses;
  }

  /** "generating 35 s" counts while a prompt file's task runs. */
  private tick(key: string, running: boolean): void {
    if (running) this.running.add(key);
    else this.running.delete(key);
    if (this.running.size > 0) this.ticker ??= setInterval(() => this.changed.fire(), 5000);
    else if (this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  dispose(): void {
    if (this.ticker) clearInterval(this.ticker);
    for (const d of this.disposables) d.dispose();
  }
}

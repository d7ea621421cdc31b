import * as vscode from 'vscode';
import type { TaskLedger } from '../core/tasks/ledger';
import type { TaskRecord } from '../core/tasks/task';
import type { CoreServices } from './coreServices';
import { batchLabel, batchTasks, isBatchElement, parentOf, topLevel } from './promptFiles/batchGroups';
import { elapsedMs, formatElapsed, modelLabel, promptTitle, stateLabel, taskContextValue, taskDescription, taskGroup, taskIcon } from './taskPresentation';

export const TASKS_VIEW_ID = 'sora.tasks';

/**
 * The history view: one item per task in the ledger, newest first. Elements are task ids so menu
 * commands receive the id and read the current record from the ledger.
 */
export class TaskTree implements vscode.TreeDataProvider<string>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<string>;
  private ledger: TaskLedger | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly core: CoreServices) {
    this.view = vscode.window.createTreeView(TASKS_VIEW_ID, { treeDataProvider: this, showCollapseAll: false });
    this.disposables.push(
      this.view,
      this.changed,
      core.onDidOpenLedger((ledger) => this.attach(ledger)),
      this.view.onDidChangeVisibility(() => this.updateTicker()),
    );
  }

  private attach(ledger: TaskLedger): void {
    if (this.ledger) return;
    this.ledger = ledger;
    const sub = ledger.onDidChange(() => {
      this.changed.fire(undefined);
      this.updateTicker();
    });
    this.disposables.push({ dispose: () => sub.dispose() });
    this.changed.fire(undefined);
    this.updateTicker();
  }

  async getChildren(element?: string): Promise<string[]> {
    const ledger = this.ledger ?? (await this.core.ledger());
    // A prompt-file batch is one group; its tasks are its children.
    if (element) return isBatchElement(element) ? batchTasks(element, ledger.all()).map((t) => t.id) : [];
    return topLevel(ledger.all());
  }

  /** Needed for `reveal`: a batch's task is under its group. */
  getParent(id: string): string | undefined {
    const task = this.ledger?.get(id);
    return task && this.ledger ? parentOf(task, this.ledger.all()) : undefined;
  }

  getTreeItem(id: string): vscode.TreeItem {
    if (isBatchElement(id)) return this.batchItem(id);
    const task = this.ledger?.get(id);
    const item = new vscode.TreeItem(task ? promptTitle(task.request.prompt) || vscode.l10n.t('(no prompt)') : id);
    item.id = id;
    if (!task) return item;
    const group = taskGroup(task.state);
    const now = Date.now();
    item.description = taskDescription(task, now, vscode.l10n.t);
    item.iconPath = new vscode.ThemeIcon(taskIcon(task.state), group === 'failed' ? new vscode.ThemeColor('errorForeground') : undefined);
    item.contextValue = taskContextValue(task);
    item.tooltip = tooltip(task, now);
    if (group === 'completed') {
      item.command = { command: 'sora.openVideo', title: vscode.l10n.t('Open Video'), arguments: [id] };
    }
    return item;
  }

  private batchItem(element: string): vscode.TreeItem {
    const tasks = batchTasks(element, this.ledger?.all() ?? []);
    const { label, description } = batchLabel(tasks, vscode.l10n.t);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = element;
    item.description = description;
    item.iconPath = new vscode.ThemeIcon('layers');
    item.contextValue = 'batch';
    return item;
  }

  /** Reveals and selects a task in the view (after "Show Tasks" or a notification's button). */
  async reveal(id?: string): Promise<void> {
    if (id && this.ledger?.get(id)) await this.view.reveal(id, { select: true, focus: true });
  }

  /** Elapsed times tick only while something runs and the view is visible. */
  private updateTicker(): void {
    const running = this.ledger?.all().some((t) => taskGroup(t.state) === 'running') ?? false;
    if (running && this.view.visible) {
      this.ticker ??= setInterval(() => this.changed.fire(undefined), 1000);
    } else if (this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  dispose(): void {
    if (this.ticker) clearInterval(this.ticker);
    for (const d of this.disposables) d.dispose();
  }
}

function tooltip(task: TaskRecord, now: number): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendText(task.request.prompt);
  md.appendMarkdown('\n\n---\n\n');
  const rows: [string, string][] = [
    [vscode.l10n.t('State'), stateLabel(task.state, vscode.l10n.t)],
    [vscode.l10n.t('Model'), modelLabel(task.model)],
    [vscode.l10n.t('Elapsed'), formatElapsed(elapsedMs(task, now))],
    [vscode.l10n.t('Submitted'), new Date(task.createdAt).toLocaleString()],
  ];
  if (task.taskId) rows.push([vscode.l10n.t('Task ID'), task.taskId]);
  if (task.localFile) rows.push([vscode.l10n.t('File'), task.localFile]);
  if (task.error) rows.push([vscode.l10n.t('Reason'), task.error.detail ?? task.error.message]);
  if (task.state === 'stopped') rows.push([vscode.l10n.t('Note'), vscode.l10n.t('Stopped waiting; the credits are spent. Resume to get the video.')]);
  if (task.state === 'unknown') {
    rows.push([vscode.l10n.t('Note'), vscode.l10n.t('The submission was interrupted before Kie answered; Kie may or may not have created this task. It was not resent, to avoid paying twice.')]);
  }
  for (const [k, v] of rows) {
    md.appendMarkdown(`**${k}:** `);
    md.appendText(v);
    md.appendMarkdown('  \n');
  }
  return md;
}

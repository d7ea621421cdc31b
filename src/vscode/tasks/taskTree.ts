import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { framePathFor } from '../../core/media/frameImage';
import type { TaskLedger } from '../../core/tasks/ledger';
import type { TaskRecord } from '../../core/tasks/task';
import type { CoreServices } from '../coreServices';
import { batchLabel, batchTasks, isBatchElement, parentOf, topLevel } from '../promptFiles/batchGroups';
import { elapsedMs, failureReason, formatElapsed, modelLabel, promptTitle, stateLabel, taskContextValue, taskDescription, taskGroup, taskIcon } from './taskPresentation';

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
  /** Whether a video's first-frame thumbnail is on disk, by video path: looked up once, off the render path. */
  private readonly thumbnails = new Map<string, boolean>();

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
    const sub = ledger.onDidChange((id) => {
      // A kept take moves to the plain name, with its own thumbnail or none: look that name up again.
      const file = ledger.get(id)?.localFile;
      if (file) this.thumbnails.delete(file);
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
    const top = topLevel(ledger.all());
    this.lookUpThumbnails(ledger.all());
    return top;
  }

  /** A player saved the thumbnail of `videoPath` (the first frame, taken in its webview). */
  thumbnailSaved(videoPath: string): void {
    this.thumbnails.set(videoPath, true);
    this.changed.fire(undefined);
  }

  private lookUpThumbnails(tasks: readonly TaskRecord[]): void {
    const unknown = tasks.filter((t) => t.localFile && taskGroup(t.state) === 'completed' && !this.thumbnails.has(t.localFile)).map((t) => t.localFile!);
    if (unknown.length === 0) return;
    for (const file of unknown) this.thumbnails.set(file, false);
    void Promise.all(
      unknown.map((file) =>
        fs.access(framePathFor(file, 'thumb')).then(
          () => (this.thumbnails.set(file, true), true),
          () => false,
        ),
      ),
    ).then((found) => {
      if (found.includes(true)) this.changed.fire(undefined);
    });
  }

  /** Needed for `reveal`: a batch's task is under its group. */
  getParent(id: string): string | undefined {
    const task = this.ledger?.get(id);
    return task && this.ledger ? parentOf(task, this.ledger.all()) : undefined;
  }

  getTreeItem(id: string): vscode.TreeItem {
    if (isBatchElement(id)) return this.batchItem(id);
    const task = this.ledger?.get(id);
    const label = !task ? id : task.adopted && task.taskId ? vscode.l10n.t('Kie task {0}', task.taskId) : promptTitle(task.request.prompt) || vscode.l10n.t('(no prompt)');
    const item = new vscode.TreeItem(label);
    item.id = id;
    if (!task) return item;
    const group = taskGroup(task.state);
    const now = Date.now();
    item.description = taskDescription(task, now, vscode.l10n.t);
    item.iconPath =
      group === 'completed' && task.localFile && this.thumbnails.get(task.localFile)
        ? vscode.Uri.file(framePathFor(task.localFile, 'thumb'))
        : new vscode.ThemeIcon(taskIcon(task.state), group === 'failed' ? new vscode.ThemeColor('errorForeground') : undefined);
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
  const t = vscode.l10n.t;
  // The label is escaped text inside markdown bold; the translation places its own colon.
  const row = (label: string, value: string) => {
    md.appendMarkdown('**');
    md.appendText(t('{0}:', label));
    md.appendMarkdown('** ');
    md.appendText(value);
    md.appendMarkdown('  \n');
  };
  row(t('State'), stateLabel(task.state, t));
  row(t('Model'), modelLabel(task.model, t));
  row(t('Elapsed'), formatElapsed(elapsedMs(task, now), t));
  row(t('Submitted'), new Date(task.createdAt).toLocaleString(vscode.env.language));
  if (task.taskId) row(t('Task ID'), task.taskId);
  if (task.localFile) row(t('File'), task.localFile);
  if (task.error) row(t('Reason'), failureReason(task.error, t));
  if (task.state === 'stopped') row(t('Note'), t('Stopped waiting; the credits are spent. Resume to get the video.'));
  if (task.state === 'unknown') {
    row(t('Note'), t('The submission was interrupted before Kie answered; Kie may or may not have created this task. It was not resent, to avoid paying twice.'));
  }
  return md;
}

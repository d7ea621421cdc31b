import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { findBundled } from '../core/models/bundledSpecs';
import { requestSettings } from './requestSettings';
import { detectAudioCodec } from '../core/media/mp4Audio';
import type { TaskRecord } from '../core/tasks/task';
import { parsePlayerWebviewMessage, type PlayerHostMessage, type PlayerView, type PlayerWebviewMessage } from '../webview/messages';
import { formatElapsed, promptTitle } from './taskPresentation';
import { webviewPage } from './webviewHtml';
import { playerStrings } from './webviewStrings';

export interface PlayerPanelDeps {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  findTask(id: string): TaskRecord | undefined;
  /** Opens the form preset with the task's settings. */
  generateAgain(task: TaskRecord): void;
}

/** What the player webview saves with `setState`, and the serializer gets back after a reload. */
interface PlayerState {
  taskId: string;
}

/** One player per task: opening the same video again reveals its panel. */
export class PlayerPanel {
  static readonly viewType = 'sora.player';
  private static readonly open = new Map<string, PlayerPanel>();

  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  static show(deps: PlayerPanelDeps, task: TaskRecord): PlayerPanel {
    const existing = PlayerPanel.open.get(task.id);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(PlayerPanel.viewType, panelTitle(task), vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: resourceRoots(deps.extensionUri, task),
    });
    return new PlayerPanel(panel, deps, task);
  }

  /** Takes over a panel VS Code recreated after a reload. */
  static restore(panel: vscode.WebviewPanel, deps: PlayerPanelDeps, task: TaskRecord): PlayerPanel {
    const existing = PlayerPanel.open.get(task.id);
    if (existing) {
      panel.dispose();
      return existing;
    }
    return new PlayerPanel(panel, deps, task);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: PlayerPanelDeps,
    private task: TaskRecord,
  ) {
    PlayerPanel.open.set(task.id, this);
    panel.title = panelTitle(task);
    panel.webview.options = { enableScripts: true, localResourceRoots: resourceRoots(deps.extensionUri, task) };
    panel.webview.html = webviewPage({
      webview: panel.webview,
      extensionUri: deps.extensionUri,
      name: 'player',
      title: panelTitle(task),
      lang: vscode.env.language,
      strings: playerStrings(this.inWorkspace()),
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private receive(raw: unknown): void {
    const msg = parsePlayerWebviewMessage(raw);
    if (!msg) {
      this.deps.log.warn('Player: ignored an invalid message from the webview.');
      return;
    }
    this.task = this.deps.findTask(this.task.id) ?? this.task;
    this.handle(msg).catch((err: unknown) => this.deps.log.error(`Player: handling "${msg.type}" failed.`, err));
  }

  private async handle(msg: PlayerWebviewMessage): Promise<void> {
    const file = this.task.localFile;
    switch (msg.type) {
      case 'ready':
        this.post({ type: 'init', video: await this.view() });
        break;
      case 'reveal':
        if (file) await vscode.commands.executeCommand(this.inWorkspace() ? 'revealInExplorer' : 'revealFileInOS', vscode.Uri.file(file));
        break;
      case 'openExternal':
        if (file) await vscode.env.openExternal(vscode.Uri.file(file));
        break;
      case 'copyPrompt':
        await vscode.env.clipboard.writeText(this.task.request.prompt);
        break;
      case 'generateAgain':
        this.deps.generateAgain(this.task);
        break;
    }
  }

  private inWorkspace(): boolean {
    return !!this.task.localFile && vscode.workspace.getWorkspaceFolder(vscode.Uri.file(this.task.localFile)) !== undefined;
  }

  private async view(): Promise<PlayerView> {
    const t = vscode.l10n.t;
    const { task } = this;
    const req = task.request;
    const file = task.localFile && (await exists(task.localFile)) ? task.localFile : undefined;
    const settings: PlayerView['settings'] = requestSettings(req, t);
    if (task.creditsConsumed !== undefined) settings.push({ label: t('Credits consumed'), value: t('{0} credits', task.creditsConsumed) });
    if (task.sourceImage) settings.push({ label: t('Source image'), value: task.sourceImage });
    settings.push({ label: t('Task ID'), value: task.taskId ?? task.id });
    settings.push({ label: t('Created'), value: new Date(task.createdAt).toLocaleString(vscode.env.language) });
    if (task.costTimeMs !== undefined) settings.push({ label: t('Generation time'), value: formatElapsed(task.costTimeMs) });
    if (task.localFile) settings.push({ label: t('File'), value: task.localFile });
    return {
      taskId: task.id,
      src: file ? this.panel.webview.asWebviewUri(vscode.Uri.file(file)).toString() : '',
      fileName: task.localFile ? path.basename(task.localFile) : panelTitle(task),
      prompt: req.prompt,
      modelLabel: findBundled(task.model)?.label ?? task.model,
      settings,
      silentPreview: file ? await this.hasAacAudio(file) : false,
    };
  }

  private async hasAacAudio(file: string): Promise<boolean> {
    try {
      return (await detectAudioCodec(file)) === 'aac';
    } catch (err) {
      this.deps.log.warn(`Player: could not read the audio track of ${path.basename(file)}: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }

  /** The audio probe is async; the user may have closed the player meanwhile. */
  private post(message: PlayerHostMessage): void {
    if (this.disposed) return;
    void this.panel.webview.postMessage(message);
  }

  private dispose(): void {
    this.disposed = true;
    if (PlayerPanel.open.get(this.task.id) === this) PlayerPanel.open.delete(this.task.id);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** Restores player panels after a window reload from the task id the webview saved. */
export function registerPlayerSerializer(deps: PlayerPanelDeps): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(PlayerPanel.viewType, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
      const taskId = isPlayerState(state) ? state.taskId : undefined;
      const task = taskId ? deps.findTask(taskId) : undefined;
      if (!task) {
        deps.log.info(`Player: not restoring a panel for ${taskId ? `task ${taskId}, which is no longer in the history` : 'an unknown task'}.`);
        panel.dispose();
        return;
      }
      PlayerPanel.restore(panel, deps, task);
    },
  });
}

function isPlayerState(v: unknown): v is PlayerState {
  return typeof v === 'object' && v !== null && typeof (v as { taskId?: unknown }).taskId === 'string' && (v as PlayerState).taskId.length <= 200;
}

/** The extension's assets and the video's own folder, nothing else. */
function resourceRoots(extensionUri: vscode.Uri, task: TaskRecord): vscode.Uri[] {
  const roots = [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist', 'webview')];
  if (task.localFile) roots.push(vscode.Uri.file(path.dirname(task.localFile)));
  return roots;
}

function panelTitle(task: TaskRecord): string {
  return promptTitle(task.request.prompt, 40) || vscode.l10n.t('Sora Video');
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

import * as vscode from 'vscode';
import type { TaskRecord } from '../../core/tasks/task';
import { promptTitle } from '../tasks/taskPresentation';
import { PlayerSession, type PlayerDeps } from './playerSession';

/** What the player webview saves with `setState`, and the serializer gets back after a reload. */
interface PlayerState {
  taskId: string;
}

/** One player panel per task: opening the same video again reveals its panel. */
export class PlayerPanel {
  static readonly viewType = 'sora.player';
  private static readonly open = new Map<string, PlayerPanel>();

  private readonly session: PlayerSession;

  static show(deps: PlayerDeps, task: TaskRecord): PlayerPanel {
    const existing = PlayerPanel.open.get(task.id);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(PlayerPanel.viewType, panelTitle(task), vscode.ViewColumn.Active, PlayerSession.webviewOptions(deps, task.localFile));
    return new PlayerPanel(panel, deps, task);
  }

  /** Takes over a panel VS Code recreated after a reload. */
  static restore(panel: vscode.WebviewPanel, deps: PlayerDeps, task: TaskRecord): PlayerPanel {
    const existing = PlayerPanel.open.get(task.id);
    if (existing) {
      panel.dispose();
      return existing;
    }
    return new PlayerPanel(panel, deps, task);
  }

  /** "Continue from Last Frame" from outside the page (the Sora view's menu). */
  continueFromLastFrame(): void {
    this.session.continueFromLastFrame();
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    deps: PlayerDeps,
    private readonly task: TaskRecord,
  ) {
    PlayerPanel.open.set(task.id, this);
    panel.title = panelTitle(task);
    // The task, not a path: the session looks the file up again, so a re-downloaded video is found.
    this.session = new PlayerSession(panel.webview, deps, { taskId: task.id }, panelTitle(task));
    panel.onDidDispose(() => {
      this.session.dispose();
      if (PlayerPanel.open.get(this.task.id) === this) PlayerPanel.open.delete(this.task.id);
    });
  }
}

/** Restores player panels after a window reload from the task id the webview saved. */
export function registerPlayerSerializer(deps: PlayerDeps): vscode.Disposable {
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

function panelTitle(task: TaskRecord): string {
  return promptTitle(task.request.prompt, 40) || vscode.l10n.t('Sora Video');
}

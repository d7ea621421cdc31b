import { promises as fs } from 'fs';
import * as vscode from 'vscode';
import { sidecarPathFor } from '../../core/media/outputNaming';
import type { TaskRecord } from '../../core/tasks/task';
import type { CoreServices } from '../coreServices';
import type { Notifier } from '../presentation/notify';
import type { Panels } from '../panels';
import type { TaskProgress } from './progress';
import type { Settings } from '../settings/settings';
import { modelLabel, promptTitle, stateLabel, taskGroup, type TaskGroup } from './taskPresentation';
import type { TaskTree } from './taskTree';

/** What the user can do with one task, from the palette, the tree, notifications or the player. */
export class TaskActions {
  constructor(
    private readonly core: CoreServices,
    private readonly notifier: Notifier,
    private readonly panels: Panels,
    private readonly tree: TaskTree,
    private readonly settings: Settings,
    private readonly progress: TaskProgress,
  ) {}

  /**
   * "Adopt Kie Task…": saves the video of a task this extension lost (or never made) by the task ID
   * shown in Kie's logs. `taskId` skips the input box (the Sora API and tests).
   */
  async adopt(taskId?: string): Promise<TaskRecord | undefined> {
    const t = vscode.l10n.t;
    const id =
      taskId ??
      (await vscode.window.showInputBox({
        title: t('Adopt Kie Task'),
        prompt: t("The task ID as Kie's logs show it (kie.ai → Logs). Its video is downloaded like any other task's; nothing is generated or charged again."),
        placeHolder: t('task_… / veo_task_…'),
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() === '' ? t('Enter a task ID.') : undefined),
      }));
    if (id === undefined || id.trim() === '') return undefined;
    try {
      const task = await (await this.core.taskService()).adopt({ taskId: id, outputDir: this.settings.outputDir() });
      this.progress.track(task);
      return task;
    } catch (err) {
      await this.notifier.showError(err, { taskId: id.trim(), handlers: { retry: () => this.adopt(id) } });
      return undefined;
    }
  }

  private async find(id: string | undefined): Promise<TaskRecord | undefined> {
    if (!id) return undefined;
    const task = (await this.core.ledger()).get(id);
    if (!task) void this.notifier.warn(vscode.l10n.t('That task is no longer in the Sora view.'));
    return task;
  }

  /** Quick pick over tasks in the given groups; undefined when cancelled or there is none. */
  async pick(groups: TaskGroup[], placeHolder: string, empty: string): Promise<string | undefined> {
    const tasks = (await this.core.ledger())
      .all()
      .filter((t) => groups.includes(taskGroup(t.state)))
      .sort((a, b) => b.createdAt - a.createdAt);
    if (tasks.length === 0) {
      void this.notifier.info(empty);
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      tasks.map((t) => ({
        label: promptTitle(t.request.prompt, 80),
        description: vscode.l10n.t('{0} · {1}', modelLabel(t.model, vscode.l10n.t), stateLabel(t.state, vscode.l10n.t)),
        detail: t.taskId,
        id: t.id,
      })),
      { placeHolder, matchOnDescription: true, matchOnDetail: true },
    );
    return picked?.id;
  }

  async showTasks(id?: string): Promise<void> {
    await vscode.commands.executeCommand('sora.tasks.focus');
    await this.tree.reveal(id);
  }

  async openVideo(id: string | undefined): Promise<void> {
    const task = await this.videoTask(id);
    if (task) this.panels.openPlayer(task);
  }

  /** The task when its video is on disk; otherwise says why there is none and returns undefined. */
  async videoTask(id: string | undefined): Promise<TaskRecord | undefined> {
    const task = await this.find(id);
    if (!task) return undefined;
    if (!task.localFile || !(await exists(task.localFile))) {
      void this.notifier.error(
        task.localFile
          ? vscode.l10n.t('The video file is missing: {0}', task.localFile)
          : vscode.l10n.t('This task has no downloaded video yet ({0}).', stateLabel(task.state, vscode.l10n.t)),
      );
      return undefined;
    }
    return task;
  }

  async revealVideo(id: string | undefined): Promise<void> {
    const task = await this.find(id);
    if (!task) return;
    if (task.localFile && (await exists(task.localFile))) {
      const uri = vscode.Uri.file(task.localFile);
      // On a remote or web window the OS file manager is on another machine (or absent); the Explorer is not.
      const remote = vscode.env.remoteName !== undefined || vscode.env.uiKind === vscode.UIKind.Web;
      const command = remote && vscode.workspace.getWorkspaceFolder(uri) ? 'revealInExplorer' : 'revealFileInOS';
      await vscode.commands.executeCommand(command, uri);
    } else {
      void this.notifier.error(vscode.l10n.t('The video file is missing: {0}', task.localFile ?? task.outputDir));
    }
  }

  async copyPrompt(id: string | undefined): Promise<void> {
    const task = await this.find(id);
    if (!task) return;
    await vscode.env.clipboard.writeText(task.request.prompt);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Prompt copied'), 3000);
  }

  async generateAgain(id: string | undefined, model?: string): Promise<void> {
    const task = await this.find(id);
    if (task) this.panels.generateAgain(task, model);
  }

  async stop(id: string | undefined): Promise<void> {
    const task = await this.find(id);
    if (!task) return;
    try {
      await (await this.core.taskService()).stop(task.id);
    } catch (err) {
      await this.notifier.showError(err, { model: task.model, taskId: task.taskId });
      return;
    }
    void this.notifier.info(
      vscode.l10n.t('Stopped waiting for "{0}". The credits are already spent; resume it from the Sora view to get the video.', promptTitle(task.request.prompt, 40)),
    );
  }

  async resume(id: string | undefined): Promise<void> {
    const task = await this.find(id);
    if (!task) return;
    try {
      await (await this.core.taskService()).resume(task.id);
    } catch (err) {
      await this.notifier.showError(err, { model: task.model, taskId: task.taskId });
    }
  }

  /** Removes from the history; deletes the video and its sidecar only when the user picks that. */
  async remove(id: string | undefined): Promise<void> {
    const task = await this.find(id);
    if (!task) return;
    const t = vscode.l10n.t;
    const removeOnly = t('Remove from History');
    const removeAndDelete = t('Remove and Delete Video');
    const hasFile = task.localFile !== undefined && (await exists(task.localFile));
    const detail = hasFile
      ? t('The video stays on disk unless you choose to delete it: {0}', task.localFile ?? '')
      : t('Only the history entry is removed.');
    const answer = await this.notifier.confirm(t('Remove "{0}" from the Sora view?', promptTitle(task.request.prompt, 40)), detail, ...(hasFile ? [removeOnly, removeAndDelete] : [removeOnly]));
    if (answer !== removeOnly && answer !== removeAndDelete) return;
    await (await this.core.taskService()).remove(task.id);
    if (answer === removeAndDelete && task.localFile) {
      for (const file of [task.localFile, sidecarPathFor(task.localFile)]) {
        await vscode.workspace.fs.delete(vscode.Uri.file(file), { useTrash: true }).then(undefined, () => undefined);
      }
    }
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

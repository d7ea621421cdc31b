import * as vscode from 'vscode';
import type { TaskRecord } from '../../core/tasks/task';
import type { TaskEvent, TaskService } from '../../core/tasks/taskService';
import type { CoreServices } from '../coreServices';
import type { Notifier } from '../presentation/notify';
import { elapsedMs, formatElapsed, isResumable, promptTitle, stateLabel, taskGroup } from './taskPresentation';

/** The task actions a notification button can trigger. */
export interface ProgressActions {
  openVideo(id: string): unknown;
  revealVideo(id: string): unknown;
  showTasks(id?: string): unknown;
  editForm(task: TaskRecord, model?: string): unknown;
  generateAgain(task: TaskRecord): unknown;
  resume(id: string): unknown;
}

/** Task ids already told about, kept in global state so a reload (or another window) does not repeat them. */
const NOTIFIED_KEY = 'sora.notifiedTasks';
const NOTIFIED_LIMIT = 500;

/**
 * One progress notification per submitted task, then one final notification ("Video ready" or the
 * mapped failure) per task, ever. The progress line follows the ledger, so it stays right whichever
 * window does the polling.
 */
export class TaskProgress implements vscode.Disposable {
  private readonly tracking = new Set<string>();
  /** Tasks the user submitted in this window: their player opens by itself when the video arrives. */
  private readonly submittedHere = new Set<string>();
  private readonly notifiedHere = new Set<string>();
  /** Crashed submissions settled as "may exist", gathered so one notification names them all. */
  private readonly mayExist: TaskRecord[] = [];
  private mayExistTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly core: CoreServices,
    private readonly notifier: Notifier,
    private readonly memento: vscode.Memento,
    private readonly actions: ProgressActions,
  ) {
    this.disposables.push(core.onDidStartService((service) => this.listen(service)));
  }

  private listen(service: TaskService): void {
    const sub = service.onEvent((e) => void this.onEvent(e));
    this.disposables.push({ dispose: () => sub.dispose() });
  }

  /** Shows the progress notification for a task the user just submitted. */
  track(task: TaskRecord): void {
    if (this.tracking.has(task.id) || taskGroup(task.state) !== 'running') return;
    this.tracking.add(task.id);
    this.submittedHere.add(task.id);
    const t = vscode.l10n.t;
    const title = t('Generating video ("Cancel" only stops waiting: the credits are spent, and the task can be resumed from the Sora view)');
    void this.notifier.progress(title, (progress, token) =>
      new Promise<void>((resolve) => {
        let last = task;
        const render = () => {
          const ledger = this.core.openedLedger;
          last = ledger?.get(task.id) ?? last;
          if (taskGroup(last.state) !== 'running') return finish();
          const phase = stateLabel(last.state, t);
          progress.report({ message: t('{0} · {1} · {2}', phase, formatElapsed(elapsedMs(last, Date.now()), t), promptTitle(last.request.prompt, 40)) });
        };
        const timer = setInterval(render, 1000);
        const ledgerSub = this.core.openedLedger?.onDidChange((id) => {
          if (id === task.id) render();
        });
        const cancelSub = token.onCancellationRequested(() => {
          finish();
          void this.stop(task.id);
        });
        const finish = () => {
          clearInterval(timer);
          ledgerSub?.dispose();
          cancelSub.dispose();
          this.tracking.delete(task.id);
          resolve();
        };
        render();
      }),
    );
  }

  private async stop(id: string): Promise<void> {
    const t = vscode.l10n.t;
    try {
      await (await this.core.taskService()).stop(id);
    } catch (err) {
      await this.notifier.showError(err);
      return;
    }
    const show = t('Show Tasks');
    const choice = await this.notifier.info(t('Stopped waiting for this video. The credits are already spent; resume it from the Sora view to get the video.'), show);
    if (choice === show) await this.actions.showTasks(id);
  }

  private async onEvent(e: TaskEvent): Promise<void> {
    const t = vscode.l10n.t;
    const task = e.task;
    if (e.type === 'updated' || e.type === 'accepted') return;
    if (e.type === 'pollProblem') {
      await this.notifier.showError(e.error, { model: task.model, taskId: task.taskId, handlers: { showTasks: () => this.actions.showTasks(task.id) } });
      return;
    }
    // Only a submission VS Code did not live to see answered gets here (a live one's caller got the error).
    if (e.type === 'failed' && task.state === 'unknown') {
      if (await this.markNotified(`mayExist:${task.id}`)) this.announceMayExist(task);
      return;
    }
    if (e.type === 'overdue') {
      if (!(await this.markNotified(`overdue:${task.id}`))) return;
      const show = t('Show Tasks');
      const choice = await this.notifier.warn(
        t('"{0}" has been running for {1}, much longer than usual. Kie is probably busy; the extension keeps waiting.', promptTitle(task.request.prompt, 40), formatElapsed(elapsedMs(task, Date.now()), t)),
        show,
      );
      if (choice === show) await this.actions.showTasks(task.id);
      return;
    }
    // A submission Kie refused has no taskId: whoever called submit got the error and reports it.
    if (e.type === 'failed' && task.taskId === undefined) return;
    if (!(await this.markNotified(task.id))) return;
    if (e.type === 'completed') {
      // One take of several opens with its siblings in the compare view once they are all done, not alone.
      if (this.submittedHere.delete(task.id) && task.origin?.variant === undefined) await this.actions.openVideo(task.id);
      const open = t('Open');
      const reveal = t('Reveal');
      const choice = await this.notifier.info(t('Video ready: {0}', promptTitle(task.request.prompt, 50)), open, reveal);
      if (choice === open) await this.actions.openVideo(task.id);
      else if (choice === reveal) await this.actions.revealVideo(task.id);
      return;
    }
    const error = task.error ?? { kind: 'generationFailed' as const, message: 'The task failed.' };
    await this.notifier.showError(error, {
      model: task.model,
      taskId: task.taskId,
      handlers: {
        editForm: (a) => this.actions.editForm(task, a.model),
        useModel: (a) => this.actions.editForm(task, a.model),
        generateAgain: () => this.actions.generateAgain(task),
        ...(isResumable(task) ? { retry: () => this.actions.resume(task.id) } : {}),
      },
    });
  }

  /** Startup settles every crashed submission at once; they are told about in one notification. */
  private announceMayExist(task: TaskRecord): void {
    this.mayExist.push(task);
    if (this.mayExistTimer !== undefined) return;
    this.mayExistTimer = setTimeout(() => {
      this.mayExistTimer = undefined;
      const tasks = this.mayExist.splice(0);
      const t = vscode.l10n.t;
      const text =
        tasks.length === 1
          ? t('VS Code closed before Kie confirmed "{0}", so the task may exist and be charged. Look at Kie\'s logs before generating it again; if it is there, adopt it by its task ID to get the video.', promptTitle(tasks[0].request.prompt, 40))
          : t('VS Code closed before Kie confirmed {0} Sora tasks, so they may exist and be charged. Look at Kie\'s logs before generating them again; adopt the ones found there by their task ID to get the videos.', tasks.length);
      const show = t('Show Tasks');
      const adopt = t('Adopt Kie Task…');
      void this.notifier.warn(text, show, adopt).then((choice) => {
        if (choice === show) return this.actions.showTasks(tasks[0].id);
        if (choice === adopt) return vscode.commands.executeCommand('sora.adoptTask');
        return undefined;
      });
    }, 500);
  }

  /**
   * Records that `key` was notified; false when it already was. Re-reads the memento each time because
   * another window may have notified meanwhile, and decides synchronously so two events cannot both win.
   */
  private async markNotified(key: string): Promise<boolean> {
    const seen = new Set([...this.memento.get<string[]>(NOTIFIED_KEY, []), ...this.notifiedHere]);
    if (seen.has(key)) return false;
    this.notifiedHere.add(key);
    seen.add(key);
    await this.memento.update(NOTIFIED_KEY, [...seen].slice(-NOTIFIED_LIMIT));
    return true;
  }

  dispose(): void {
    if (this.mayExistTimer !== undefined) clearTimeout(this.mayExistTimer);
    for (const d of this.disposables) d.dispose();
  }
}

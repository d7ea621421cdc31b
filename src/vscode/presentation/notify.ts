import * as vscode from 'vscode';
import { isKieError } from '../../core/kie/errors';
import { imageProblemOf, presentError, type ErrorAction, type ErrorActionId, type PresentableError } from './errorPresentation';
import { plainNotificationText } from './notificationText';

export interface ShownMessage {
  severity: 'info' | 'warning' | 'error';
  text: string;
  actions: string[];
}

/** Where "Top up" goes: Kie's billing page. */
export const KIE_BILLING_URL = 'https://kie.ai/billing';

const RECENT_LIMIT = 50;

export type ErrorHandlers = Partial<Record<ErrorActionId, (action: ErrorAction) => unknown>>;

/**
 * Every user-facing notification goes through here, so there is one record of what the user was told
 * (`SoraApi.recentMessages()`), one mapping from errors to words and buttons, and one place that keeps
 * outside text (prompts, file names, Kie's messages) from becoming a link (plainNotificationText).
 */
export class Notifier {
  private readonly shown: ShownMessage[] = [];

  constructor(
    private readonly globalHandlers: {
      setApiKey(): unknown;
      showLog(): unknown;
      /** A model's name and the live models to offer instead, from the catalog. */
      modelInfo?(id: string): Promise<{ label?: string; alternatives: { id: string; label: string }[] }>;
    },
  ) {}

  recent(): ShownMessage[] {
    return this.shown.map((m) => ({ ...m, actions: [...m.actions] }));
  }

  info(message: string, ...actions: string[]): Thenable<string | undefined> {
    const text = plainNotificationText(message);
    this.record('info', text, actions);
    return vscode.window.showInformationMessage(text, ...actions);
  }

  warn(message: string, ...actions: string[]): Thenable<string | undefined> {
    const text = plainNotificationText(message);
    this.record('warning', text, actions);
    return vscode.window.showWarningMessage(text, ...actions);
  }

  error(message: string, ...actions: string[]): Thenable<string | undefined> {
    const text = plainNotificationText(message);
    this.record('error', text, actions);
    return vscode.window.showErrorMessage(text, ...actions);
  }

  /** A modal question; recorded like any other message. */
  confirm(message: string, detail: string, ...actions: string[]): Thenable<string | undefined> {
    const text = plainNotificationText(message);
    this.record('warning', text, actions);
    return vscode.window.showWarningMessage(text, { modal: true, detail: plainNotificationText(detail) }, ...actions);
  }

  /** A cancellable progress notification; recorded with its title and the Cancel button. */
  progress<T>(heading: string, task: (progress: vscode.Progress<{ message?: string }>, token: vscode.CancellationToken) => Thenable<T>): Thenable<T> {
    const title = plainNotificationText(heading);
    this.record('info', title, [vscode.l10n.t('Cancel')]);
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) =>
      task({ report: (v) => progress.report(v.message === undefined ? v : { ...v, message: plainNotificationText(v.message) }) }, token),
    );
  }

  /**
   * Shows an error with the buttons that can fix it. `handlers` supplies the context-dependent actions
   * (retry what, generate again from which form); Set API Key, Top Up and Show Log work everywhere.
   */
  async showError(err: unknown, opts: { model?: string; taskId?: string; handlers?: ErrorHandlers } = {}): Promise<void> {
    const handlers: ErrorHandlers = {
      setApiKey: () => this.globalHandlers.setApiKey(),
      setImgbbKey: () => vscode.commands.executeCommand('sora.setImgbbApiKey'),
      topUp: () => vscode.env.openExternal(vscode.Uri.parse(KIE_BILLING_URL)),
      showTasks: () => vscode.commands.executeCommand('sora.showTasks'),
      adoptTask: () => vscode.commands.executeCommand('sora.adoptTask'),
      showLog: () => this.globalHandlers.showLog(),
      ...opts.handlers,
    };
    const presentable = toPresentable(err, opts);
    const info = presentable.model ? await this.globalHandlers.modelInfo?.(presentable.model).catch(() => undefined) : undefined;
    if (info) Object.assign(presentable, { modelLabel: info.label, alternatives: info.alternatives });
    const p = presentError(presentable, vscode.l10n.t, new Set(Object.keys(handlers) as ErrorActionId[]));
    const labels = p.actions.map((a) => a.label);
    const choice = await (p.severity === 'warning' ? this.warn(p.text, ...labels) : this.error(p.text, ...labels));
    const action = p.actions.find((a) => a.label === choice);
    if (action) await handlers[action.id]?.(action);
  }

  private record(severity: ShownMessage['severity'], text: string, actions: string[]): void {
    this.shown.push({ severity, text, actions });
    if (this.shown.length > RECENT_LIMIT) this.shown.splice(0, this.shown.length - RECENT_LIMIT);
  }
}

function toPresentable(err: unknown, opts: { model?: string; taskId?: string }): PresentableError {
  if (isKieError(err)) {
    return {
      kind: err.kind,
      message: err.message,
      detail: err.detail,
      taskId: err.taskId ?? opts.taskId,
      failCode: err.failCode,
      alternativeModel: err.alternativeModel,
      field: err.field,
      model: opts.model,
      image: imageProblemOf(err),
    };
  }
  if (isPresentable(err)) return { ...err, taskId: err.taskId ?? opts.taskId, model: err.model ?? opts.model };
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'unexpected', message, taskId: opts.taskId, model: opts.model };
}

/** A ledger TaskError (plain data) is presentable as is. */
function isPresentable(err: unknown): err is PresentableError {
  return typeof err === 'object' && err !== null && typeof (err as { kind?: unknown }).kind === 'string' && typeof (err as { message?: unknown }).message === 'string';
}

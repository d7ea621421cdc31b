import * as path from 'path';
import * as vscode from 'vscode';
import { MODELS, findModel, type ModelSpec } from '../core/models/catalog';
import { isKieError } from '../core/kie/errors';
import type { TaskRecord } from '../core/tasks/task';
import { MAX_IMAGE_BYTES, checkImageFile } from '../core/media/imageCheck';
import { findBundled } from '../core/models/bundledSpecs';
import { validateChoices } from '../core/models/choiceValidation';
import {
  parseFormState,
  parseGenerateWebviewMessage,
  type FormField,
  type FormState,
  type GenerateHostMessage,
  type GenerateWebviewMessage,
  type ImageView,
  type ModelOption,
} from '../webview/messages';
import { presentError, type PresentableError } from './errorPresentation';
import { formToRequest, withModel } from './formDefaults';
import { issueFormField, issueText } from './formIssueText';
import { webviewPage } from './webviewHtml';
import { generateStrings } from './webviewStrings';

export interface GeneratePanelDeps {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  /** The last form is kept here under `sora.lastForm`. */
  memento: vscode.Memento;
  defaults(): FormState;
  hasApiKey(): Promise<boolean>;
  onDidChangeKey: vscode.Event<void>;
  setApiKey(): Promise<void>;
  /** Throws KieError. */
  getCredits(): Promise<number>;
  /** Throws KieError. */
  submit(input: { form: FormState; imagePath?: string }): Promise<TaskRecord>;
}

export const LAST_FORM_KEY = 'sora.lastForm';

/** How long a balance is reused when the webview is recreated; Refresh always asks Kie. */
const CREDITS_REUSE_MS = 60_000;

const FORM_FIELDS: ReadonlySet<string> = new Set<FormField>(['prompt', 'model', 'aspectRatio', 'duration', 'size', 'image', 'key']);

interface AttachedImage {
  uri: vscode.Uri;
  bytes: number;
}

/**
 * The "Generate Video" form. One panel at most: showing it again reveals it and applies the new image
 * or preset. The form's state lives here (and in the memento), not in the webview, so the webview can
 * be hidden, reloaded or recreated without losing anything.
 */
export class GeneratePanel {
  static readonly viewType = 'sora.generate';
  private static current: GeneratePanel | undefined;

  private form: FormState;
  private image: AttachedImage | undefined;
  private submitting = false;
  private disposed = false;
  private creditsRequest = 0;
  private lastCredits: { credits: number; at: number } | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  static show(deps: GeneratePanelDeps, opts: { image?: vscode.Uri; preset?: Partial<FormState> } = {}): GeneratePanel {
    const existing = GeneratePanel.current;
    if (existing) {
      existing.panel.reveal();
      existing.apply(opts);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(GeneratePanel.viewType, vscode.l10n.t('Generate Video'), vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: resourceRoots(deps.extensionUri),
    });
    const created = new GeneratePanel(panel, deps, opts.preset);
    GeneratePanel.current = created;
    if (opts.image) void created.attach(opts.image);
    return created;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: GeneratePanelDeps,
    preset: Partial<FormState> | undefined,
  ) {
    this.form = this.initialForm(preset);
    panel.webview.html = webviewPage({
      webview: panel.webview,
      extensionUri: deps.extensionUri,
      name: 'generate',
      title: vscode.l10n.t('Generate Video'),
      lang: vscode.env.language,
      strings: generateStrings(),
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      deps.onDidChangeKey(() => void this.keyChanged()),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Preset (from a command) over the remembered form over the settings' defaults. */
  private initialForm(preset: Partial<FormState> | undefined): FormState {
    const defaults = this.deps.defaults();
    const remembered = parseFormState(this.deps.memento.get(LAST_FORM_KEY));
    return this.fit({ ...defaults, ...(remembered && findModel(remembered.model) ? remembered : {}), ...definedOnly(preset) });
  }

  /** A form whose options all exist for its model; an unknown model falls back to the default one. */
  private fit(form: FormState): FormState {
    return withModel(form, findModel(form.model) ? form.model : this.deps.defaults().model);
  }

  private apply(opts: { image?: vscode.Uri; preset?: Partial<FormState> }): void {
    if (opts.preset) {
      this.form = this.fit({ ...this.form, ...definedOnly(opts.preset) });
      this.remember();
      void this.sendInit();
    }
    if (opts.image) void this.attach(opts.image);
  }

  private receive(raw: unknown): void {
    const msg = parseGenerateWebviewMessage(raw);
    if (!msg) {
      this.deps.log.warn(`Generate form: ignored an invalid message (${describe(raw)}).`);
      return;
    }
    this.handle(msg).catch((err: unknown) => this.deps.log.error(`Generate form: handling "${msg.type}" failed.`, err));
  }

  private async handle(msg: GenerateWebviewMessage): Promise<void> {
    switch (msg.type) {
      case 'ready':
        await this.sendInit();
        await this.refreshCredits(CREDITS_REUSE_MS);
        break;
      case 'formChanged':
        this.form = msg.form;
        this.remember();
        break;
      case 'submit':
        await this.submit(msg.form);
        break;
      case 'pickImage':
        await this.pickImage();
        break;
      case 'dropImage':
        await this.dropImage(msg.uri);
        break;
      case 'removeImage':
        this.image = undefined;
        this.updateResourceRoots();
        this.post({ type: 'image', image: null });
        break;
      case 'setApiKey':
        await this.deps.setApiKey();
        break;
      case 'refreshCredits':
        await this.refreshCredits();
        break;
    }
  }

  /** Sent on every `ready`: the webview starts blank each time it is (re)created. */
  private async sendInit(): Promise<void> {
    const keyPresent = await this.deps.hasApiKey();
    this.post({
      type: 'init',
      models: MODELS.map(toModelOption),
      form: this.form,
      image: this.imageView(),
      keyPresent,
      maxImageBytes: MAX_IMAGE_BYTES,
    });
    if (this.submitting) this.post({ type: 'submitting' });
  }

  /** Validates in full, then submits once: a second submit while one is in flight is dropped. */
  private async submit(form: FormState): Promise<void> {
    if (this.submitting) {
      this.deps.log.info('Generate form: ignored a submit while another one is in flight.');
      return;
    }
    this.submitting = true;
    try {
      this.form = this.fit(form);
      this.remember();
      const model = findModel(this.form.model);
      const imagePath = model && model.image !== 'none' ? this.image?.uri.fsPath : undefined;
      const request = formToRequest(this.form, imagePath);
      const spec = findBundled(request.model);
      const issues = spec ? validateChoices(spec, request) : [];
      if (issues.length > 0) {
        const errors: Partial<Record<FormField, string>> = {};
        for (const issue of issues) errors[issueFormField(issue)] ??= issueText(issue, request, vscode.l10n.t);
        this.post({ type: 'validation', errors });
        return;
      }
      if (!(await this.deps.hasApiKey())) {
        this.post({ type: 'keyStatus', present: false });
        this.post({ type: 'validation', errors: { key: vscode.l10n.t('Set a Kie.ai API key first.') } });
        return;
      }
      this.post({ type: 'submitting' });
      const task = await this.deps.submit({ form: this.form, imagePath });
      this.post({ type: 'submitted', taskId: task.taskId ?? task.id });
      void this.refreshCredits();
    } catch (err) {
      const field = isKieError(err) && err.field && FORM_FIELDS.has(err.field) ? (err.field as FormField) : undefined;
      if (isKieError(err) && err.kind === 'unauthorized') this.post({ type: 'keyStatus', present: await this.deps.hasApiKey() });
      this.post({ type: 'submitFailed', message: errorText(err, this.form.model), field });
    } finally {
      this.submitting = false;
    }
  }

  private async pickImage(): Promise<void> {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: vscode.l10n.t('Use Image'),
      title: vscode.l10n.t('Choose the source image'),
      filters: { [vscode.l10n.t('Images')]: ['png', 'jpg', 'jpeg', 'webp'] },
      defaultUri: this.image ? vscode.Uri.file(path.dirname(this.image.uri.fsPath)) : vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    if (picked?.[0]) await this.attach(picked[0]);
  }

  /**
   * A drop carries whatever URI string the drag put there, so it is parsed strictly and must name a
   * local file. Files outside the workspace are accepted too: dragging one is as deliberate as
   * picking it in the dialog, and the file's bytes are checked either way.
   */
  private async dropImage(uriString: string): Promise<void> {
    let uri: vscode.Uri;
    try {
      uri = vscode.Uri.parse(uriString, true);
    } catch {
      this.deps.log.warn('Generate form: a dropped item was not a URI.');
      this.post({ type: 'image', image: this.imageView(), error: vscode.l10n.t('That drop was not a file. Drop an image from the Explorer.') });
      return;
    }
    await this.attach(uri.scheme === 'file' ? uri : (workspaceFileOf(uri) ?? uri));
  }

  private async attach(uri: vscode.Uri): Promise<void> {
    if (uri.scheme !== 'file') {
      this.post({ type: 'image', image: this.imageView(), error: vscode.l10n.t('Only files on this machine can be used as the source image.') });
      return;
    }
    try {
      const { bytes } = await checkImageFile(uri.fsPath);
      this.image = { uri, bytes };
      this.updateResourceRoots();
      this.post({ type: 'image', image: this.imageView() });
    } catch (err) {
      this.post({ type: 'image', image: this.imageView(), error: errorText(err, this.form.model) });
    }
  }

  /** The webview may load only the extension's own assets and the attached image's folder. */
  private updateResourceRoots(): void {
    const roots = resourceRoots(this.deps.extensionUri);
    if (this.image) roots.push(vscode.Uri.file(path.dirname(this.image.uri.fsPath)));
    this.panel.webview.options = { ...this.panel.webview.options, localResourceRoots: roots };
  }

  private imageView(): ImageView | null {
    if (!this.image) return null;
    return { name: path.basename(this.image.uri.fsPath), src: this.panel.webview.asWebviewUri(this.image.uri).toString(), bytes: this.image.bytes };
  }

  private async keyChanged(): Promise<void> {
    this.lastCredits = undefined;
    this.post({ type: 'keyStatus', present: await this.deps.hasApiKey() });
    await this.refreshCredits();
  }

  /**
   * Only the newest answer is shown, so a slow old request cannot overwrite a fresh one. A webview
   * that was hidden and recreated gets a recent balance again without asking Kie (`maxAgeMs`).
   */
  private async refreshCredits(maxAgeMs = 0): Promise<void> {
    if (this.lastCredits && Date.now() - this.lastCredits.at <= maxAgeMs) {
      this.post({ type: 'credits', credits: this.lastCredits.credits });
      return;
    }
    const request = ++this.creditsRequest;
    let message: GenerateHostMessage;
    if (!(await this.deps.hasApiKey())) {
      message = { type: 'credits', credits: null };
    } else {
      try {
        const credits = await this.deps.getCredits();
        this.lastCredits = { credits, at: Date.now() };
        message = { type: 'credits', credits };
      } catch (err) {
        this.lastCredits = undefined;
        this.deps.log.warn(`Generate form: could not read the credit balance: ${err instanceof Error ? err.message : String(err)}`);
        message = { type: 'credits', credits: null, error: errorText(err), keyRejected: isKieError(err) && err.kind === 'unauthorized' };
      }
    }
    if (request === this.creditsRequest) this.post(message);
  }

  private remember(): void {
    void this.deps.memento.update(LAST_FORM_KEY, this.form);
  }

  /** Async work (a credits call, a submit) may finish after the user closed the form. */
  private post(message: GenerateHostMessage): void {
    if (this.disposed) return;
    void this.panel.webview.postMessage(message);
  }

  private dispose(): void {
    this.disposed = true;
    if (GeneratePanel.current === this) GeneratePanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/**
 * In a remote window (SSH, code-server) the Explorer drags `vscode-remote://…` URIs while the extension
 * host sees the same files as `file:` paths; such a drop is accepted only when it is a workspace file.
 */
function workspaceFileOf(uri: vscode.Uri): vscode.Uri | undefined {
  const file = vscode.Uri.file(uri.path);
  return vscode.workspace.getWorkspaceFolder(file) ? file : undefined;
}

function resourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist', 'webview')];
}

function toModelOption(m: ModelSpec): ModelOption {
  const option: ModelOption = {
    id: m.id,
    label: m.label,
    image: m.image,
    aspectRatios: [...m.aspectRatios],
    durations: [...m.durations],
    sizes: [...(m.sizes ?? [])],
    watermarkOption: m.watermarkOption,
    maxPromptLength: m.maxPromptLength,
    creditCost: { ...m.creditCost },
  };
  if (m.retired) {
    // The note is catalog data; the bundle translates it when it has the exact sentence.
    option.retiredNote = vscode.l10n.t(m.retired.note);
    option.alternative = m.retired.alternative;
  }
  return option;
}

function definedOnly(preset: Partial<FormState> | undefined): Partial<FormState> {
  return Object.fromEntries(Object.entries(preset ?? {}).filter(([, v]) => v !== undefined)) as Partial<FormState>;
}

function errorText(err: unknown, model?: string): string {
  const presentable: PresentableError = isKieError(err)
    ? { kind: err.kind, message: err.message, detail: err.detail, taskId: err.taskId, failCode: err.failCode, alternativeModel: err.alternativeModel, field: err.field, model }
    : { kind: 'unexpected', message: err instanceof Error ? err.message : String(err) };
  return presentError(presentable, vscode.l10n.t).text;
}

/** A short, safe description of an invalid message for the log: its type, never its content. */
function describe(raw: unknown): string {
  if (typeof raw !== 'object' || raw === null) return typeof raw;
  const type = (raw as { type?: unknown }).type;
  return typeof type === 'string' ? `type "${type.slice(0, 40)}"` : 'no type';
}

import * as path from 'path';
import * as vscode from 'vscode';
import { isKieError } from '../../core/kie/errors';
import type { GenerationRequest, ModelSpec } from '../../core/models/spec';
import type { TaskRecord } from '../../core/tasks/task';
import { MAX_IMAGE_BYTES, checkImageFile } from '../../core/media/imageCheck';
import {
  parseFormState,
  parseGenerateWebviewMessage,
  type FieldIssue,
  type FormState,
  type GenerateHostMessage,
  type GenerateWebviewMessage,
  type ImageRole,
  type ImageView,
  type ModelEntry,
  type UnavailableView,
} from '../../webview/messages';
import { presentError, type PresentableError } from '../presentation/errorPresentation';
import type { FormCatalog } from './formCatalog';
import { remembered, startRequest, usableModel, type FormMemory, type FormSettings } from './formDefaults';
import { fitRequest } from '../../webview/modelSwitch';
import { issueText } from './formIssueText';
import { requestIssues } from './requestIssues';
import { imageIssueText } from './imageIssueText';
import { webviewPage } from '../webviewHtml';
import { generateStrings } from '../webviewStrings';

export interface GeneratePanelDeps {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  /** The last form and the choices per model are kept here. */
  memento: vscode.Memento;
  catalog: FormCatalog;
  settings(): FormSettings;
  hasApiKey(): Promise<boolean>;
  onDidChangeKey: vscode.Event<void>;
  setApiKey(): Promise<void>;
  /** Throws KieError. */
  getCredits(): Promise<number>;
  /** Validates, checks the images and submits `variants` tasks; throws KieError. Images are local paths. */
  submit(input: { request: GenerationRequest; variants: number }): Promise<TaskRecord[]>;
}

/** What a command opens the form with: a request whose images are local paths, and what it dropped. */
export interface FormPreset {
  request?: GenerationRequest;
  /** Names the last model switch could not keep ("Use <model>", "Generate Again" of a retired model). */
  dropped?: string[];
  /** The retired or unknown model the request was moved away from, to say so in the form. */
  replaced?: string;
  /** Replaces the form's first frame. */
  firstFrame?: vscode.Uri;
}

export const LAST_FORM_KEY = 'sora.lastForm';
export const FORM_MEMORY_KEY = 'sora.formMemory';

/** How long a balance is reused when the webview is recreated; Refresh always asks Kie. */
const CREDITS_REUSE_MS = 60_000;
/** The same form submitted again this soon is a double click or a double Ctrl+Enter, not a new video. */
const DOUBLE_SUBMIT_MS = 2_000;

interface AttachedImage {
  uri: vscode.Uri;
  bytes: number;
}

/**
 * The "Generate Video" form. One panel at most: showing it again reveals it and applies the new preset.
 * The form's state lives here (and in the memento), not in the webview, so the webview can be hidden,
 * reloaded or recreated without losing anything. Fields, prices and carry-over come from the model's
 * spec through src/core/models, which the webview bundles too.
 */
export class GeneratePanel {
  static readonly viewType = 'sora.generate';
  private static current: GeneratePanel | undefined;

  private form: FormState;
  private dropped: string[] | undefined;
  private replaced: string | undefined;
  private readonly images = new Map<string, AttachedImage>();
  private imageCount = 0;
  private submitting = false;
  private lastSubmit: { json: string; at: number } | undefined;
  private disposed = false;
  private creditsRequest = 0;
  private lastCredits: { credits: number; at: number } | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  static show(deps: GeneratePanelDeps, preset: FormPreset = {}): GeneratePanel {
    const existing = GeneratePanel.current;
    if (existing) {
      existing.panel.reveal();
      void existing.apply(preset);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(GeneratePanel.viewType, vscode.l10n.t('Generate Video'), vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: resourceRoots(deps.extensionUri),
    });
    const created = new GeneratePanel(panel, deps);
    GeneratePanel.current = created;
    void created.apply(preset);
    return created;
  }

  /** The open form, for commands that act on it. */
  static get active(): GeneratePanel | undefined {
    return GeneratePanel.current;
  }

  /** The open form's request, image keys and all (for deciding what a command changes). */
  request(): GenerationRequest {
    return this.form.request;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: GeneratePanelDeps,
  ) {
    this.form = this.rememberedForm();
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
      deps.catalog.onDidChange(() => this.catalogChanged()),
      panel.onDidDispose(() => this.dispose()),
    );
    // The catalog is refreshed when the form opens, never during activation.
    void this.refreshCatalog();
  }

  /** Kie's list, then the shown model's schema, then each model's recent success rate (all budgeted, 1/s). */
  private async refreshCatalog(): Promise<void> {
    const catalog = this.deps.catalog;
    try {
      await catalog.refresh({ force: true });
      await catalog.ensureSchema(this.form.request.model);
      for (const id of [this.form.request.model, ...catalog.list().map((e) => e.spec.id)]) {
        if (this.disposed) return;
        await catalog.successRate(id);
      }
    } catch (err) {
      this.deps.log.warn(`Generate form: the model catalog could not be refreshed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** What the picker lists: the catalog's models, plus the form's own if Kie no longer offers it. */
  private entries(): ModelEntry[] {
    const list = this.deps.catalog.list();
    const current = this.form.request.model;
    const spec = list.some((e) => e.spec.id === current) ? undefined : this.deps.catalog.spec(current);
    return spec ? [...list, { spec }] : list;
  }

  private memory(): FormMemory {
    const raw = this.deps.memento.get<FormMemory>(FORM_MEMORY_KEY);
    return raw && typeof raw === 'object' && typeof raw.choices === 'object' ? raw : { choices: {} };
  }

  /** The last form (without its images) on a model Kie still serves, else a new one on the default model. */
  private rememberedForm(): FormState {
    const catalog = this.deps.catalog;
    const last = parseFormState(this.deps.memento.get(LAST_FORM_KEY));
    const settings = this.deps.settings();
    if (last) {
      const spec = usableModel(catalog, last.request.model);
      const { images: _images, ...request } = last.request;
      return { request: fitRequest(this.spec(last.request.model), spec, request).request, variants: last.variants };
    }
    const spec = usableModel(catalog, settings.defaultModel);
    if (spec.id !== settings.defaultModel) this.replaced = settings.defaultModel;
    return { request: startRequest(spec, settings, this.memory()), variants: 1 };
  }

  private spec(id: string): ModelSpec | undefined {
    return this.deps.catalog.spec(id);
  }

  /** A preset replaces the form; its images (local paths) are checked and attached like picked ones. */
  private async apply(preset: FormPreset): Promise<void> {
    if (preset.request) {
      const { images, ...request } = preset.request;
      this.form = { request: { ...request }, variants: this.form.variants };
      this.dropped = preset.dropped;
      this.replaced = preset.replaced;
      this.images.clear();
      this.remember();
      this.sendInit();
      for (const [role, file] of [['first', images?.first], ['last', images?.last]] as const) if (file) await this.attach(role, vscode.Uri.file(file), false);
      for (const file of images?.references ?? []) await this.attach('references', vscode.Uri.file(file), false);
    }
    if (preset.firstFrame) {
      await this.attach('first', preset.firstFrame);
    }
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
        this.sendInit();
        this.postIssues(false);
        await this.refreshCredits(CREDITS_REUSE_MS);
        break;
      case 'formChanged': {
        const before = this.form.request.model;
        this.setForm(msg.form);
        this.postIssues(false);
        if (this.form.request.model !== before) void this.modelShown(this.form.request.model);
        break;
      }
      case 'submit':
        await this.submit(msg.form);
        break;
      case 'pickImage':
        await this.pickImage(msg.role);
        break;
      case 'dropImage':
        await this.dropImage(msg.role, msg.uri);
        break;
      case 'pathImage':
        await this.pathImage(msg.role, msg.path);
        break;
      case 'savePromptFile':
        this.setForm(msg.form);
        await this.savePromptFile();
        break;
      case 'setApiKey':
        await this.deps.setApiKey();
        break;
      case 'refreshCredits':
        await this.refreshCredits();
        break;
    }
  }

  /** Takes the webview's form, keeping only image keys this panel handed out. */
  private setForm(form: FormState): void {
    const known = (k: string | undefined) => (k && this.images.has(k) ? k : undefined);
    const i = form.request.images;
    const images = i ? { first: known(i.first), last: known(i.last), references: (i.references ?? []).filter((k) => this.images.has(k)) } : undefined;
    this.form = { ...form, request: { ...form.request, ...(images ? { images: compact(images) } : {}) } };
    this.remember();
  }

  /** Sent on every `ready`: the webview starts blank each time it is (re)created. */
  private sendInit(): void {
    const images: ImageView[] = [...this.images].map(([key, img]) => this.imageView(key, img));
    void this.deps.hasApiKey().then((keyPresent) => {
      this.post({
        type: 'init',
        models: this.entries(),
        catalog: this.deps.catalog.info(),
        form: this.form,
        images,
        keyPresent,
        maxImageBytes: MAX_IMAGE_BYTES,
        ...(this.dropped?.length ? { dropped: this.dropped } : {}),
        ...(this.replaced ? { replaced: this.replaced } : {}),
      });
      if (this.submitting) this.post({ type: 'submitting' });
    });
  }

  /** A model the user just picked: its live schema (for validation) and its health. */
  private async modelShown(id: string): Promise<void> {
    await this.deps.catalog.ensureSchema(id);
    await this.deps.catalog.successRate(id);
  }

  private catalogChanged(): void {
    this.post({ type: 'catalog', models: this.entries(), catalog: this.deps.catalog.info() });
    this.postIssues(false);
  }

  /** The form's request with image keys replaced by the files' paths. */
  resolvedRequest(): GenerationRequest {
    const { images, ...request } = this.form.request;
    if (!images) return { ...request };
    const file = (k: string | undefined) => (k ? this.images.get(k)?.uri.fsPath : undefined);
    return { ...request, images: compact({ first: file(images.first), last: file(images.last), references: (images.references ?? []).map(file).filter((p): p is string => !!p) }) };
  }

  private issues(request: GenerationRequest): FieldIssue[] {
    const spec = this.spec(request.model);
    if (!spec) return [{ field: 'model', text: vscode.l10n.t('Unknown model “{0}”: pick one from the list.', request.model) }];
    const labelOf = (id: string) => this.spec(id)?.label ?? id;
    return requestIssues(this.deps.catalog, spec, request).map((issue) => ({ field: issue.field, text: issueText(issue, spec, vscode.l10n.t, labelOf) }));
  }

  private postIssues(forSubmit: boolean): FieldIssue[] {
    const issues = this.issues(this.resolvedRequest());
    this.post({ type: 'issues', issues, forSubmit });
    return issues;
  }

  /** Validates in full, then submits once: a second submit while one is in flight, or right after, is dropped. */
  private async submit(form: FormState): Promise<void> {
    const json = JSON.stringify(form);
    if (this.submitting || (this.lastSubmit?.json === json && Date.now() - this.lastSubmit.at < DOUBLE_SUBMIT_MS)) {
      this.deps.log.info('Generate form: ignored a second submit of the same form.');
      if (!this.submitting) this.post({ type: 'submitted', taskIds: [] });
      return;
    }
    this.submitting = true;
    try {
      this.setForm(form);
      if (this.postIssues(true).length > 0) return;
      if (!(await this.deps.hasApiKey())) {
        this.post({ type: 'keyStatus', present: false });
        this.post({ type: 'submitFailed', message: vscode.l10n.t('Set a Kie.ai API key first.') });
        return;
      }
      this.post({ type: 'submitting' });
      this.lastSubmit = { json, at: Date.now() };
      const tasks = await this.deps.submit({ request: this.resolvedRequest(), variants: this.form.variants });
      this.lastSubmit = { json, at: Date.now() };
      this.post({ type: 'submitted', taskIds: tasks.map((t) => t.taskId ?? t.id) });
      void this.refreshCredits();
    } catch (err) {
      this.lastSubmit = undefined;
      if (isKieError(err) && err.kind === 'unauthorized') this.post({ type: 'keyStatus', present: await this.deps.hasApiKey() });
      const unavailable = this.unavailable(err);
      const field = isKieError(err) && err.kind === 'invalidInput' && isIssueField(err.field) ? err.field : undefined;
      this.post({ type: 'submitFailed', message: this.errorText(err), ...(field ? { field } : {}), ...(unavailable ? { unavailable } : {}), retryable: !(isKieError(err) && err.kind === 'mayExist') });
    } finally {
      this.submitting = false;
    }
  }

  /** A model Kie refused is remembered as unavailable, and the form offers live ones instead. */
  private unavailable(err: unknown): UnavailableView | undefined {
    if (!isKieError(err) || (err.kind !== 'modelUnavailable' && err.kind !== 'featureDisabled')) return undefined;
    const model = this.form.request.model;
    this.deps.catalog.markUnavailable(model);
    const alternatives = this.deps.catalog.alternatives(model).map((s) => ({ id: s.id, label: s.label }));
    return { model, alternatives };
  }

  private errorText(err: unknown): string {
    const model = this.form.request.model;
    const presentable: PresentableError = isKieError(err)
      ? {
          kind: err.kind,
          message: err.message,
          detail: err.detail,
          taskId: err.taskId,
          failCode: err.failCode,
          field: err.field,
          model,
          modelLabel: this.spec(model)?.label,
          alternatives: this.deps.catalog.alternatives(model).map((s) => ({ id: s.id, label: s.label })),
        }
      : { kind: 'unexpected', message: err instanceof Error ? err.message : String(err) };
    return presentError(presentable, vscode.l10n.t).text;
  }

  /** Hands the form's request (images as local paths) and its variants to the prompt-file command. */
  private async savePromptFile(): Promise<void> {
    try {
      await vscode.commands.executeCommand('sora.savePromptFile', this.resolvedRequest(), undefined, this.form.variants);
    } catch (err) {
      this.deps.log.error('Generate form: saving a prompt file failed.', err);
      this.post({ type: 'submitFailed', message: vscode.l10n.t('Could not save the prompt file: {0}', err instanceof Error ? err.message : String(err)) });
    }
  }

  private async pickImage(role: ImageRole): Promise<void> {
    const current = this.images.values().next().value as AttachedImage | undefined;
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: role === 'references',
      openLabel: vscode.l10n.t('Use Image'),
      title: role === 'first' ? vscode.l10n.t('Choose the first frame') : role === 'last' ? vscode.l10n.t('Choose the last frame') : vscode.l10n.t('Choose reference images'),
      filters: { [vscode.l10n.t('Images')]: ['png', 'jpg', 'jpeg', 'webp'] },
      defaultUri: current ? vscode.Uri.file(path.dirname(current.uri.fsPath)) : vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    for (const uri of picked ?? []) await this.attach(role, uri);
  }

  /**
   * A drop carries whatever URI string the drag put there, so it is parsed strictly and must name a
   * local file. Files outside the workspace are accepted too: dragging one is as deliberate as
   * picking it in the dialog, and the file's bytes are checked either way.
   */
  private async dropImage(role: ImageRole, uriString: string): Promise<void> {
    let uri: vscode.Uri;
    try {
      uri = vscode.Uri.parse(uriString, true);
    } catch {
      this.deps.log.warn('Generate form: a dropped item was not a URI.');
      this.post({ type: 'image', role, error: vscode.l10n.t('That drop was not a file. Drop an image from the Explorer.') });
      return;
    }
    await this.attach(role, uri.scheme === 'file' ? uri : (workspaceFileOf(uri) ?? uri));
  }

  /** A typed or pasted path: relative ones are resolved in the workspace folders, absolute ones as they are. */
  private async pathImage(role: ImageRole, typed: string): Promise<void> {
    const trimmed = typed.trim().replace(/^["']|["']$/g, '');
    if (path.isAbsolute(trimmed)) return this.attach(role, vscode.Uri.file(trimmed));
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      const candidate = vscode.Uri.file(path.join(folder.uri.fsPath, trimmed));
      const found = await vscode.workspace.fs.stat(candidate).then(() => true, () => false);
      if (found) return this.attach(role, candidate);
    }
    this.post({ type: 'image', role, error: vscode.l10n.t('No file {0} in the workspace. Type a path relative to the workspace folder, or an absolute one.', trimmed) });
  }

  private async attach(role: ImageRole, uri: vscode.Uri, announce = true): Promise<void> {
    if (uri.scheme !== 'file') {
      this.post({ type: 'image', role, error: vscode.l10n.t('Only files on this machine can be used as images.') });
      return;
    }
    try {
      const { bytes } = await checkImageFile(uri.fsPath);
      const key = `img${++this.imageCount}`;
      this.images.set(key, { uri, bytes });
      this.updateResourceRoots();
      const i = { ...this.form.request.images };
      if (role === 'references') i.references = [...(i.references ?? []), key];
      else i[role] = key;
      this.form = { ...this.form, request: { ...this.form.request, images: compact(i) } };
      this.post({ type: 'image', role, image: this.imageView(key, { uri, bytes }) });
      if (announce) this.postIssues(false);
    } catch (err) {
      this.deps.log.info(`Generate form: ${uri.fsPath} cannot be used: ${err instanceof Error ? err.message : String(err)}`);
      this.post({ type: 'image', role, error: await imageIssueText(uri.fsPath, vscode.l10n.t) });
    }
  }

  /**
   * The webview may load only the extension's own assets and the attached images themselves (a root
   * that is a file admits that file alone), never the rest of the folders they were dropped from.
   */
  private updateResourceRoots(): void {
    const roots = resourceRoots(this.deps.extensionUri);
    for (const img of this.images.values()) roots.push(img.uri);
    this.panel.webview.options = { ...this.panel.webview.options, localResourceRoots: roots };
  }

  private imageView(key: string, img: AttachedImage): ImageView {
    return { key, name: path.basename(img.uri.fsPath), src: this.panel.webview.asWebviewUri(img.uri).toString(), bytes: img.bytes };
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
        message = { type: 'credits', credits: null, error: this.errorText(err), keyRejected: isKieError(err) && err.kind === 'unauthorized' };
      }
    }
    if (request === this.creditsRequest) this.post(message);
  }

  /** The form without its images (their keys mean nothing in another session), and the model's choices. */
  private remember(): void {
    const { images: _images, ...request } = this.form.request;
    void this.deps.memento.update(LAST_FORM_KEY, { ...this.form, request });
    void this.deps.memento.update(FORM_MEMORY_KEY, remembered(this.memory(), this.form.request, this.spec(this.form.request.model)));
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

const ISSUE_FIELDS = new Set(['prompt', 'model', 'aspect', 'duration', 'resolution', 'audio', 'seed', 'negative', 'first', 'last', 'references']);

function isIssueField(field: string | undefined): field is FieldIssue['field'] {
  return field !== undefined && (ISSUE_FIELDS.has(field) || field.startsWith('option:'));
}

/** Image choices without empty roles, so "no last frame" is absent rather than `undefined`. */
function compact(i: { first?: string; last?: string; references?: string[] }): NonNullable<GenerationRequest['images']> {
  return { ...(i.first ? { first: i.first } : {}), ...(i.last ? { last: i.last } : {}), ...(i.references?.length ? { references: i.references } : {}) };
}

/**
 * In a remote window (SSH, code-server) the Explorer drags `vscode-remote://…` URIs while the extension
 * host sees the same files as `file:` paths; such a drop is accepted only when it is a workspace file.
 */
function workspaceFileOf(uri: vscode.Uri): vscode.Uri | undefined {
  const file = vscode.Uri.file(uri.path);
  return vscode.workspace.getWorkspaceFolder(file) ? file : undefined;
}

function resourceRoots(extensionUri: vscode.Uri, image?: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), ...(image ? [image] : [])];
}

/** A short, safe description of an invalid message for the log: its type, never its content. */
function describe(raw: unknown): string {
  if (typeof raw !== 'object' || raw === null) return typeof raw;
  const type = (raw as { type?: unknown }).type;
  return typeof type === 'string' ? `type "${type.slice(0, 40)}"` : 'no type';
}

import * as vscode from 'vscode';
import { KieError } from '../core/kie/errors';
import type { GenerationRequest } from '../core/models/spec';
import type { TaskRecord } from '../core/tasks/task';
import type { CoreServices } from './coreServices';
import { MISSING_KEY_FIELD } from './errorPresentation';
import type { FormCatalog } from './formCatalog';
import { FORM_MEMORY_KEY, GeneratePanel, type FormPreset, type GeneratePanelDeps } from './generatePanel';
import { imageModel, requestFromRecord, startRequest, usableModel, type FormMemory } from './formDefaults';
import { fitRequest } from '../webview/modelSwitch';
import type { GenerateInput } from './generationFlow';
import type { KeyStore } from './keyStore';
import type { SoraLog } from './log';
import { PlayerPanel, registerPlayerSerializer, type PlayerPanelDeps } from './playerPanel';
import type { Settings } from './settings';

export interface PanelsDeps {
  extensionUri: vscode.Uri;
  log: SoraLog;
  memento: vscode.Memento;
  settings: Settings;
  keys: KeyStore;
  core: CoreServices;
  /** The model catalog, read from its cache on first use. */
  catalog(): Promise<FormCatalog>;
  setApiKey(): Promise<void>;
  generate(input: GenerateInput): Promise<TaskRecord[]>;
}

/** The generate form and the player, with the extension's side of their dependencies. */
export class Panels {
  private readonly generateDeps: Omit<GeneratePanelDeps, 'catalog'>;
  private readonly playerDeps: PlayerPanelDeps;

  constructor(private readonly deps: PanelsDeps) {
    this.generateDeps = {
      extensionUri: deps.extensionUri,
      log: deps.log.channel,
      memento: deps.memento,
      settings: () => deps.settings.form(),
      hasApiKey: () => deps.keys.hasKieKey(),
      onDidChangeKey: deps.keys.onDidChange,
      setApiKey: deps.setApiKey,
      getCredits: () => this.credits(),
      submit: deps.generate,
    };
    this.playerDeps = {
      extensionUri: deps.extensionUri,
      log: deps.log.channel,
      findTask: (id) => deps.core.openedLedger?.get(id),
      generateAgain: (task) => void this.generateAgain(task),
    };
  }

  registerSerializer(): vscode.Disposable {
    return registerPlayerSerializer(this.playerDeps);
  }

  async openForm(preset: FormPreset = {}): Promise<void> {
    GeneratePanel.show({ ...this.generateDeps, catalog: await this.deps.catalog() }, preset);
  }

  /**
   * Opens the form on `request` as given (a command argument, "Use <model>"); a model Kie no longer
   * serves moves to its successor with what still applies.
   */
  async openRequest(request: GenerationRequest, dropped?: string[]): Promise<void> {
    const catalog = await this.deps.catalog();
    const to = usableModel(catalog, request.model);
    if (to.id === request.model) return this.openForm({ request, dropped });
    const from = catalog.spec(request.model);
    const moved = fitRequest(from, to, request);
    this.openForm({ request: moved.request, dropped: [...(dropped ?? []), ...moved.dropped], replaced: request.model });
  }

  /** The form on the last model used with an image (first time: Veo 3.1 Fast), the image as its first frame. */
  async openFormWithImage(image: vscode.Uri): Promise<void> {
    const catalog = await this.deps.catalog();
    const open = GeneratePanel.active?.request();
    const openSpec = open ? catalog.list().find((e) => e.spec.id === open.model)?.spec : undefined;
    if (open && openSpec?.images.first && !openSpec.retired) return this.openForm({ firstFrame: image });
    const memory = this.deps.memento.get<FormMemory>(FORM_MEMORY_KEY) ?? { choices: {} };
    const spec = imageModel(catalog, memory);
    // The prompt typed so far stays; the other choices are the ones last made for the image model.
    this.openForm({ request: startRequest(spec, this.deps.settings.form(), memory, open?.prompt ?? ''), firstFrame: image });
  }

  /**
   * The form preset with a past task's settings and its images, ready to edit and resubmit. A task of a
   * retired model (Sora) opens on the closest live one, with prompt, image, aspect ratio and duration.
   */
  async generateAgain(task: TaskRecord, model?: string): Promise<void> {
    const request = requestFromRecord(task);
    if (!model || model === request.model) return this.openRequest(request);
    const catalog = await this.deps.catalog();
    const to = catalog.spec(model);
    if (!to) return this.openRequest(request);
    const moved = fitRequest(catalog.spec(request.model), to, request);
    this.openForm({ request: moved.request, dropped: moved.dropped });
  }

  openPlayer(task: TaskRecord): void {
    PlayerPanel.show(this.playerDeps, task);
  }

  async credits(): Promise<number> {
    const client = await this.deps.core.client();
    if (!client) throw new KieError({ kind: 'unauthorized', field: MISSING_KEY_FIELD, message: 'No Kie API key is set.' });
    return client.getCredits();
  }
}

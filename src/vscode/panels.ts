import * as vscode from 'vscode';
import { KieError } from '../core/kie/errors';
import type { TaskRecord } from '../core/tasks/task';
import { parseFormState, type FormState } from '../webview/messages';
import type { CoreServices } from './coreServices';
import { MISSING_KEY_FIELD } from './errorPresentation';
import { formDefaults, formFromRequest, imageCapableModel, withModel } from './formDefaults';
import { GeneratePanel, type GeneratePanelDeps } from './generatePanel';
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
  setApiKey(): Promise<void>;
  generate(input: GenerateInput): Promise<TaskRecord>;
}

/** The generate form and the player, with the extension's side of their dependencies. */
export class Panels {
  private readonly generateDeps: GeneratePanelDeps;
  private readonly playerDeps: PlayerPanelDeps;

  constructor(private readonly deps: PanelsDeps) {
    this.generateDeps = {
      extensionUri: deps.extensionUri,
      log: deps.log.channel,
      memento: deps.memento,
      defaults: () => formDefaults(deps.settings.form()),
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
      generateAgain: (task) => this.generateAgain(task),
    };
  }

  registerSerializer(): vscode.Disposable {
    return registerPlayerSerializer(this.playerDeps);
  }

  openForm(opts: { image?: vscode.Uri; preset?: Partial<FormState> } = {}): void {
    GeneratePanel.show(this.generateDeps, opts);
  }

  /** The form with an image, switched to a model that takes one (keeping the last used one if it does). */
  openFormWithImage(image: vscode.Uri): void {
    const last = parseFormState(this.deps.memento.get('sora.lastForm'));
    const model = imageCapableModel(last?.model ?? this.deps.settings.form().defaultModel);
    this.openForm({ image, preset: withModel(last ?? formDefaults(this.deps.settings.form()), model) });
  }

  /** The form preset with a past task's settings and its source image, ready to edit and resubmit. */
  generateAgain(task: TaskRecord, model?: string): void {
    const base = formFromRequest(task.request, formDefaults(this.deps.settings.form()));
    const preset = model ? withModel(base, model) : base;
    const image = task.sourceImage ? vscode.Uri.file(task.sourceImage) : undefined;
    this.openForm({ preset, image });
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

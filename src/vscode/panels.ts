import * as vscode from 'vscode';
import { KieError } from '../core/kie/errors';
import type { GenerationRequest } from '../core/models/spec';
import type { TaskRecord } from '../core/tasks/task';
import type { CoreServices } from './coreServices';
import { MISSING_KEY_FIELD } from './presentation/errorPresentation';
import type { FormCatalog } from './generate/formCatalog';
import { FORM_MEMORY_KEY, GeneratePanel, type FormPreset, type GeneratePanelDeps } from './generate/generatePanel';
import { imageModel, requestFromRecord, startRequest, usableModel, type FormMemory } from './generate/formDefaults';
import { fitRequest } from '../webview/modelSwitch';
import type { GenerateInput } from './generate/generationFlow';
import type { KeyStore } from './keys/keyStore';
import type { SoraLog } from './log';
import { checkTakeCount, compareTitle, pickVideos, takesFromSelection } from './compare/compareFiles';
import { openCompareView, type CompareHandle, type CompareOptions } from './compare/compareView';
import type { Notifier } from './presentation/notify';
import { continueFromFrame } from './player/continueFromFrame';
import { PlayerPanel, registerPlayerSerializer } from './player/playerPanel';
import type { PlayerDeps } from './player/playerSession';
import { VideoEditorProvider } from './player/videoEditor';
import type { Settings } from './settings/settings';

export interface PanelsDeps {
  extensionUri: vscode.Uri;
  log: SoraLog;
  memento: vscode.Memento;
  settings: Settings;
  keys: KeyStore;
  core: CoreServices;
  notifier: Notifier;
  /** A player saved a video's first-frame thumbnail (`<video>.thumb.png`), e.g. to refresh the Sora view. */
  thumbnailSaved?(videoPath: string, thumbPath: string): void;
  /** The model catalog, read from its cache on first use. */
  catalog(): Promise<FormCatalog>;
  setApiKey(): Promise<void>;
  generate(input: GenerateInput): Promise<TaskRecord[]>;
}

/** The generate form and the player, with the extension's side of their dependencies. */
export class Panels {
  private readonly generateDeps: Omit<GeneratePanelDeps, 'catalog'>;
  private readonly playerDeps: PlayerDeps;

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
      previewCacheDir: deps.settings.previewCacheDir(),
      findTask: (id) => deps.core.openedLedger?.get(id),
      generateAgain: (source) => void this.generateAgain(source),
      ffmpegPath: () => deps.settings.ffmpegPath(),
      continueFromFrame,
      thumbnailSaved: (video, thumb) => deps.thumbnailSaved?.(video, thumb),
      showError: (text) => void deps.notifier.error(text),
    };
  }

  registerSerializer(): vscode.Disposable {
    return registerPlayerSerializer(this.playerDeps);
  }

  /** "Open With… → Sora Player" for any `.mp4`. */
  registerVideoEditor(): vscode.Disposable {
    return VideoEditorProvider.register(this.playerDeps);
  }

  /** The compare view for 2-4 takes (variants of one prompt file, or any videos). */
  openCompare(opts: CompareOptions): CompareHandle {
    return openCompareView({ extensionUri: this.deps.extensionUri, log: this.deps.log.channel, showError: (text) => void this.deps.notifier.error(text) }, opts);
  }

  /**
   * `sora.compareVideos` on the Explorer's selection. Without a prompt file there is no canonical
   * video to replace, so "Keep This One" opens the kept take in the Sora Player and leaves every file
   * where it is.
   */
  async compareVideos(clicked: unknown, selected: unknown): Promise<CompareHandle | undefined> {
    let takes = await takesFromSelection(clicked, selected);
    if (takes.length === 0 && clicked === undefined) {
      const picked = await pickVideos();
      if (picked.length === 0) return undefined;
      takes = await takesFromSelection(undefined, picked);
    }
    const problem = checkTakeCount(takes.length);
    if (problem) {
      void this.deps.notifier.warn(problem);
      return undefined;
    }
    return this.openCompare({
      title: compareTitle(takes),
      takes,
      onKeep: async (taskId) => {
        const take = takes.find((t) => t.taskId === taskId);
        if (take) await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(take.videoPath), VideoEditorProvider.viewType, vscode.ViewColumn.Beside);
      },
    });
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
  async generateAgain(task: Pick<TaskRecord, 'request' | 'sourceImage' | 'sourceImages'>, model?: string): Promise<void> {
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

  /** Opens the task's player and takes its last frame there, as its "Continue from Last Frame" button does. */
  continueFromLastFrame(task: TaskRecord): void {
    PlayerPanel.show(this.playerDeps, task).continueFromLastFrame();
  }

  async credits(): Promise<number> {
    const client = await this.deps.core.client();
    if (!client) throw new KieError({ kind: 'unauthorized', field: MISSING_KEY_FIELD, message: 'No Kie API key is set.' });
    return client.getCredits();
  }
}

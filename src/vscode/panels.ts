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
import { checkTakeCount, compareTitle, pickVideos, takesFromSelection } from './compare/compareFiles';
import { openCompareView, type CompareHandle, type CompareOptions } from './compare/compareView';
import type { Notifier } from './notify';
import { continueFromFrame } from './player/continueFromFrame';
import { PlayerPanel, registerPlayerSerializer } from './player/playerPanel';
import type { PlayerDeps } from './player/playerSession';
import { VideoEditorProvider } from './player/videoEditor';
import type { Settings } from './settings';

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
  setApiKey(): Promise<void>;
  generate(input: GenerateInput): Promise<TaskRecord>;
}

/** The generate form and the player, with the extension's side of their dependencies. */
export class Panels {
  private readonly generateDeps: GeneratePanelDeps;
  private readonly playerDeps: PlayerDeps;

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
      previewCacheDir: deps.settings.previewCacheDir(),
      findTask: (id) => deps.core.openedLedger?.get(id),
      generateAgain: (source) => this.generateAgain(source),
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
  generateAgain(task: Pick<TaskRecord, 'request' | 'sourceImage'>, model?: string): void {
    const base = formFromRequest(task.request, formDefaults(this.deps.settings.form()));
    const preset = model ? withModel(base, model) : base;
    const image = task.sourceImage ? vscode.Uri.file(task.sourceImage) : undefined;
    this.openForm({ preset, image });
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

import * as vscode from 'vscode';
import type { VideoSidecar } from '../core/media/sidecar';
import type { GenerationRequest } from '../core/models/spec';
import type { CoreServices } from './coreServices';
import { clearApiKey, setApiKey, setImgbbApiKey } from './keys/keyCommands';
import type { KeyStore } from './keys/keyStore';
import type { Notifier } from './presentation/notify';
import { readGenerationRequest } from '../core/models/legacyRequest';
import { legacyAspect } from './generate/formDefaults';
import type { Panels } from './panels';
import type { Settings } from './settings/settings';
import type { PromptFileCommands } from './promptFiles/promptFileCommands';
import { taskIdArg } from './tasks/taskArgs';
import type { TaskActions } from './tasks/taskActions';

export interface CommandDeps {
  keys: KeyStore;
  notifier: Notifier;
  core: CoreServices;
  panels: Panels;
  actions: TaskActions;
  /**
   * True only when the extension runs under a test runner (ExtensionMode.Test). The key commands take
   * their value as an argument only then: otherwise anything that can run a command with arguments (a
   * keybinding, a link, another extension) could set or silently clear the key.
   */
  testMode: boolean;
  settings: Settings;
  prompts: PromptFileCommands;
}


/** A request passed to "Generate Video" (by a prompt file, an agent, a test); Sora-era fields still read. */
function requestArg(arg: unknown, defaultModel: string): GenerationRequest | undefined {
  if (typeof arg !== 'object' || arg === null || arg instanceof vscode.Uri) return undefined;
  const r = arg as Record<string, unknown>;
  const request = readGenerationRequest({ ...r, model: typeof r.model === 'string' ? r.model : defaultModel, prompt: typeof r.prompt === 'string' ? r.prompt : '' });
  const aspect = legacyAspect(request.aspect);
  const images = localImages(r.images) ?? request.images;
  return { ...request, ...(aspect ? { aspect } : {}), ...(images ? { images } : {}) };
}

/** Images given as local paths (a Sora-era request names them too, beside its `aspectRatio`). */
function localImages(v: unknown): GenerationRequest['images'] | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const { first, last, references } = v as Record<string, unknown>;
  const str = (x: unknown) => (typeof x === 'string' && x !== '' ? x : undefined);
  const refs = Array.isArray(references) ? references.filter((x): x is string => typeof x === 'string') : [];
  const out = { ...(str(first) ? { first: str(first) } : {}), ...(str(last) ? { last: str(last) } : {}), ...(refs.length ? { references: refs } : {}) };
  return Object.keys(out).length ? out : undefined;
}

/**
 * `{ confirm: false }` skips the plan's confirmation, and only in test runs: anywhere else, anything that
 * can run a command with arguments (a keybinding, a link, another extension) could spend credits unasked.
 */
function promptRunOptions(arg: unknown, testMode: boolean): { confirm?: boolean } {
  return testMode && typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri) && (arg as { confirm?: unknown }).confirm === false ? { confirm: false } : {};
}

/** Every command the extension contributes; ids match package.json. */
export function registerCommands(d: CommandDeps): vscode.Disposable[] {
  const t = vscode.l10n.t;
  const { actions } = d;
  const handlers: Record<string, (...args: unknown[]) => unknown> = {
    'sora.generateVideo': (arg) => {
      const request = requestArg(arg, d.settings.form().defaultModel);
      if (request) d.panels.openRequest(request);
      else d.panels.openForm();
    },

    'sora.generateVideoFromImage': async (arg) => {
      let image = arg instanceof vscode.Uri ? arg : undefined;
      if (!image) {
        const picked = await vscode.window.showOpenDialog({
          title: t('Choose an Image for the Video'),
          openLabel: t('Use Image'),
          canSelectMany: false,
          defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
          filters: { [t('Images')]: ['png', 'jpg', 'jpeg', 'webp'] },
        });
        image = picked?.[0];
      }
      if (image) d.panels.openFormWithImage(image);
    },

    'sora.setApiKey': (key) => setApiKey(d.keys, d.notifier, d.testMode ? key : undefined),
    'sora.setImgbbApiKey': (key) => setImgbbApiKey(d.keys, d.notifier, d.testMode ? key : undefined),
    'sora.clearApiKey': (options) => clearApiKey(d.keys, d.notifier, d.testMode ? options : undefined),
    'sora.showTasks': (arg) => actions.showTasks(taskIdArg(arg)),

    'sora.cancelTask': async (arg) => {
      const id =
        taskIdArg(arg) ??
        (await actions.pick(['running'], t('Stop waiting for which video? The credits are already spent; you can resume it later from the Sora view.'), t('No Sora video is being generated.')));
      if (id) await actions.stop(id);
    },

    'sora.openVideo': async (arg) => {
      const id = taskIdArg(arg) ?? (await actions.pick(['completed'], t('Open which video?'), t('No finished Sora video yet.')));
      if (id) await actions.openVideo(id);
    },

    'sora.revealVideo': (arg) => actions.revealVideo(taskIdArg(arg)),
    'sora.copyPrompt': (arg) => actions.copyPrompt(taskIdArg(arg)),
    'sora.generateAgain': (arg) => actions.generateAgain(taskIdArg(arg)),
    'sora.resumeTask': (arg) => actions.resume(taskIdArg(arg)),
    'sora.stopTask': (arg) => actions.stop(taskIdArg(arg)),
    'sora.removeTask': (arg) => actions.remove(taskIdArg(arg)),
    'sora.compareVideos': (clicked, selected) => d.panels.compareVideos(clicked, selected),

    'sora.continueFromLastFrame': async (arg) => {
      const id = taskIdArg(arg) ?? (await actions.pick(['completed'], t('Continue from the last frame of which video?'), t('No finished Sora video yet.')));
      const task = id ? await actions.videoTask(id) : undefined;
      if (task) d.panels.continueFromLastFrame(task);
    },
    'sora.adoptTask': (taskId) => actions.adopt(typeof taskId === 'string' ? taskId : undefined),

    'sora.generateFromPromptFile': (arg, options) => d.prompts.generateFile(arg instanceof vscode.Uri ? arg : undefined, promptRunOptions(options ?? arg, d.testMode)),
    'sora.generateFolder': (arg, options) => d.prompts.generateFolder(arg instanceof vscode.Uri ? arg : undefined, promptRunOptions(options ?? arg, d.testMode)),
    'sora.comparePromptTakes': (arg) => d.prompts.compareTakes(arg instanceof vscode.Uri ? arg : undefined),
    'sora.savePromptFile': (request, target, variants) =>
      d.prompts.save(request as GenerationRequest | undefined, target instanceof vscode.Uri ? target : undefined, typeof variants === 'number' ? variants : 1),
    'sora.newPromptFileFromFrame': (pngPath, sidecar) => (typeof pngPath === 'string' ? d.prompts.continueFromFrame(pngPath, sidecar as VideoSidecar | undefined) : undefined),

    'sora.refreshCredits': async () => {
      try {
        const credits = await d.panels.credits();
        void d.notifier.info(t('Kie balance: {0} credits.', credits));
      } catch (err) {
        await d.notifier.showError(err, { handlers: { retry: () => vscode.commands.executeCommand('sora.refreshCredits') } });
      }
    },
  };
  return Object.entries(handlers).map(([id, fn]) => vscode.commands.registerCommand(id, fn));
}

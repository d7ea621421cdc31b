import * as vscode from 'vscode';
import type { VideoSidecar } from '../core/media/sidecar';
import type { GenerationRequest } from '../core/models/spec';
import type { FormState } from '../webview/messages';
import type { CoreServices } from './coreServices';
import { clearApiKey, setApiKey, setImgbbApiKey } from './keyCommands';
import type { KeyStore } from './keyStore';
import type { Notifier } from './notify';
import type { Panels } from './panels';
import type { PromptFileCommands } from './promptFiles/promptFileCommands';
import { taskIdArg } from './taskArgs';
import type { TaskActions } from './taskActions';

export interface CommandDeps {
  keys: KeyStore;
  notifier: Notifier;
  core: CoreServices;
  panels: Panels;
  actions: TaskActions;
  prompts: PromptFileCommands;
}

const IMAGE_FILTERS = { Images: ['png', 'jpg', 'jpeg', 'webp'] };

/** `{ confirm: false }` from a caller that showed the plan itself (agents, tests); menus pass a Uri or nothing. */
function promptRunOptions(arg: unknown): { confirm?: boolean } {
  return typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri) && (arg as { confirm?: unknown }).confirm === false ? { confirm: false } : {};
}

function presetArg(arg: unknown): Partial<FormState> | undefined {
  return typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri) ? (arg as Partial<FormState>) : undefined;
}

/** Every command the extension contributes; ids match package.json. */
export function registerCommands(d: CommandDeps): vscode.Disposable[] {
  const t = vscode.l10n.t;
  const { actions } = d;
  const handlers: Record<string, (...args: unknown[]) => unknown> = {
    'sora.generateVideo': (preset) => d.panels.openForm({ preset: presetArg(preset) }),

    'sora.generateVideoFromImage': async (arg) => {
      let image = arg instanceof vscode.Uri ? arg : undefined;
      if (!image) {
        const picked = await vscode.window.showOpenDialog({
          title: t('Choose an Image for the Video'),
          openLabel: t('Use Image'),
          canSelectMany: false,
          defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
          filters: IMAGE_FILTERS,
        });
        image = picked?.[0];
      }
      if (image) d.panels.openFormWithImage(image);
    },

    'sora.setApiKey': (key) => setApiKey(d.keys, d.notifier, key),
    'sora.setImgbbApiKey': (key) => setImgbbApiKey(d.keys, d.notifier, key),
    'sora.clearApiKey': (options) => clearApiKey(d.keys, d.notifier, options),
    'sora.showTasks': (arg) => actions.showTasks(taskIdArg(arg)),

    'sora.cancelTask': async (arg) => {
      const id =
        taskIdArg(arg) ??
        (await actions.pick(['running'], t('Stop waiting for which video? The credits are already spent; you can resume it later from the Sora list.'), t('No Sora video is being generated.')));
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

    'sora.generateFromPromptFile': (arg, options) => d.prompts.generateFile(arg instanceof vscode.Uri ? arg : undefined, promptRunOptions(options ?? arg)),
    'sora.generateFolder': (arg, options) => d.prompts.generateFolder(arg instanceof vscode.Uri ? arg : undefined, promptRunOptions(options ?? arg)),
    'sora.savePromptFile': (request, target) => d.prompts.save(request as GenerationRequest | undefined, target instanceof vscode.Uri ? target : undefined),
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

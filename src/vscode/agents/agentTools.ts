import * as path from 'path';
import * as vscode from 'vscode';
import { VideoTools } from '../../core/agents/videoTools';
import type { CoreServices } from '../coreServices';
import type { KeyStore } from '../keys/keyStore';
import type { Settings } from '../settings/settings';

/** The VideoTools of this window: the same catalog, task service and ledger as the form. */
export function windowVideoTools(core: CoreServices, keys: KeyStore, settings: Settings): VideoTools {
  return new VideoTools({
    catalog: () => core.catalog(),
    service: async () => {
      if (!(await keys.hasKieKey())) throw new Error('No Kie API key is set: ask the user to run "Sora: Set API Key".');
      await core.client();
      return core.taskService();
    },
    ledger: () => core.ledger(),
    credits: async () => (await core.client())?.getCredits(),
    outputDir: () => settings.outputDir(),
    resolveImage: (p) => workspaceFile(p),
    origin: 'agent',
  });
}

/** A path the agent gave, relative to the first workspace folder or absolute, as long as it is inside one. */
export function workspaceFile(p: string): string {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) throw new Error('No folder is open: images must be files of the workspace.');
  const abs = path.isAbsolute(p) ? path.normalize(p) : path.resolve(folders[0].uri.fsPath, p);
  const inside = folders.some((f) => {
    const rel = path.relative(f.uri.fsPath, abs);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  });
  if (!inside) throw new Error('the image must be a file inside the workspace');
  return abs;
}

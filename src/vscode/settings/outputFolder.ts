import * as path from 'path';
import type { SettingLevels } from './serviceUrl';

export interface OutputFolder {
  /** Absolute folder new videos go to. */
  dir: string;
  /** A workspace or folder value that was not used because it leads outside the workspace. */
  ignoredWorkspaceValue?: string;
}

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/**
 * Where `sora.outputFolder` puts videos. A value from the workspace (which a cloned repository
 * controls) must stay inside the workspace, also after following symbolic links (`realpath`, which
 * resolves the links of a path that may not exist yet); the user's own value may be anywhere. Relative values are relative to the
 * first workspace folder; without one, videos go to the extension's storage.
 */
export function resolveOutputFolder(
  levels: SettingLevels<string> | undefined,
  workspaceRoot: string | undefined,
  storageDir: string,
  realpath: (p: string) => string = (p) => p,
): OutputFolder {
  const fromWorkspace = (levels?.workspaceFolderValue ?? levels?.workspaceValue)?.trim();
  let ignoredWorkspaceValue: string | undefined;
  if (fromWorkspace) {
    const dir = workspaceRoot ? path.resolve(workspaceRoot, fromWorkspace) : undefined;
    if (dir && workspaceRoot && isInside(workspaceRoot, dir) && isInside(realpath(workspaceRoot), realpath(dir))) return { dir };
    ignoredWorkspaceValue = fromWorkspace;
  }
  const user = (levels?.globalValue ?? levels?.defaultValue ?? '').trim() || 'videos';
  const dir = path.isAbsolute(user) ? user : workspaceRoot ? path.join(workspaceRoot, user) : path.join(storageDir, 'videos');
  return ignoredWorkspaceValue === undefined ? { dir } : { dir, ignoredWorkspaceValue };
}

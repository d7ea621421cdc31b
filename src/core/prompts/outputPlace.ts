import * as path from 'node:path';
import { promptFileBaseName } from './promptFile';

/**
 * Where a prompt file's video goes. Inside a workspace folder: `sora.outputFolder` (default `videos`,
 * relative to that workspace folder) mirroring the prompt file's folder, so `shots/intro.video.md` gives
 * `videos/shots/intro.mp4` and two `intro.video.md` in different folders never share a name. With an
 * absolute output folder, the workspace folder's name is added too, so two workspace folders stay apart.
 * A prompt file outside every workspace folder gets its video beside it.
 */
export function promptOutputPlace(file: string, workspaceRoot: string | undefined, outputFolder: string): { dir: string; name: string } {
  const name = promptFileBaseName(file);
  const rel = workspaceRoot ? path.relative(workspaceRoot, path.dirname(file)) : undefined;
  if (rel === undefined || rel.startsWith('..') || path.isAbsolute(rel)) return { dir: path.dirname(file), name };
  const folder = outputFolder.trim() || 'videos';
  const base = path.isAbsolute(folder) ? path.join(folder, path.basename(workspaceRoot!)) : path.join(workspaceRoot!, folder);
  return { dir: path.join(base, rel), name };
}

import * as path from 'path';
import * as vscode from 'vscode';
import { sidecarPathFor } from '../../core/media/outputNaming';
import { readSidecar } from '../../core/media/sidecar';
import { readGenerationRequest } from '../../core/models/legacyRequest';
import { MAX_COMPARE_TAKES } from '../../webview/messages';
import { creditsConsumed } from '../player/videoOrigin';
import type { CompareTake } from './compareView';

/**
 * The videos chosen in the Explorer as compare takes. The Explorer hands a command the clicked item and
 * the whole selection; only local `.mp4` files count. A take's id is its task's local id when its
 * sidecar names one, else its path.
 */
export async function takesFromSelection(clicked: unknown, selected: unknown): Promise<CompareTake[]> {
  const uris = (Array.isArray(selected) && selected.length > 0 ? selected : [clicked]).filter(
    (u): u is vscode.Uri => u instanceof vscode.Uri && u.scheme === 'file' && /\.mp4$/i.test(u.fsPath),
  );
  const seen = new Set<string>();
  const takes: CompareTake[] = [];
  for (const uri of uris) {
    const videoPath = uri.fsPath;
    const sidecar = await readSidecar(sidecarPathFor(videoPath));
    let taskId = sidecar?.localId || videoPath;
    // Two copies of one take (same sidecar id) are still two videos to compare.
    if (seen.has(taskId)) taskId = videoPath;
    seen.add(taskId);
    const seed: unknown = sidecar ? readGenerationRequest(sidecar.inputs).seed : undefined;
    takes.push({
      taskId,
      videoPath,
      ...(typeof seed === 'number' || typeof seed === 'string' ? { seed } : {}),
      ...(creditsConsumed(sidecar) !== undefined ? { credits: creditsConsumed(sidecar) } : {}),
    });
  }
  return takes;
}

/** From the Command Palette, with nothing selected: the workspace's MP4 files to choose from. */
export async function pickVideos(): Promise<vscode.Uri[]> {
  const files = await vscode.workspace.findFiles('**/*.mp4', '**/node_modules/**', 500);
  if (files.length === 0) return [];
  const picked = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri, true), uri })),
    { canPickMany: true, placeHolder: vscode.l10n.t('Choose 2 to {0} videos to compare', MAX_COMPARE_TAKES), matchOnDescription: true },
  );
  return picked?.map((p) => p.uri) ?? [];
}

export function compareTitle(takes: CompareTake[]): string {
  return vscode.l10n.t('Compare: {0}', takes.map((t) => path.basename(t.videoPath, path.extname(t.videoPath))).join(' · '));
}

export function checkTakeCount(n: number): string | undefined {
  if (n >= 2 && n <= MAX_COMPARE_TAKES) return undefined;
  return vscode.l10n.t('Select 2 to {0} MP4 videos in the Explorer to compare them (selected: {1}).', MAX_COMPARE_TAKES, n);
}

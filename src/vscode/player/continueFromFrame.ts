import * as vscode from 'vscode';
import type { VideoSidecar } from '../../core/media/sidecar';

/**
 * "Continue from Last Frame": the next shot starts where this video ends. The player has saved the
 * last frame as `pngPath` beside the video; `_sidecar` says what made the video (undefined for an MP4
 * Sora did not make).
 *
 * The hook for prompt files (issue 10): writing a new `*.video.md` whose `image` is this PNG belongs
 * here. Until then it opens the generate form with the frame as the source image.
 */
export async function continueFromFrame(pngPath: string, _sidecar: VideoSidecar | undefined): Promise<void> {
  await vscode.commands.executeCommand('sora.generateVideoFromImage', vscode.Uri.file(pngPath));
}

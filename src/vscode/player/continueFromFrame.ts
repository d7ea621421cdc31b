import * as vscode from 'vscode';
import type { VideoSidecar } from '../../core/media/sidecar';

/**
 * "Continue from Last Frame": the next shot starts where this video ends. The player has saved the
 * last frame as `pngPath` beside the video; the prompt-file commands write a new `*.video.md` whose
 * `image` is that PNG and whose other keys come from the sidecar, and open it.
 */
export async function continueFromFrame(pngPath: string, sidecar: VideoSidecar | undefined): Promise<void> {
  await vscode.commands.executeCommand('sora.newPromptFileFromFrame', pngPath, sidecar);
}

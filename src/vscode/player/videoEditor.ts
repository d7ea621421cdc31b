import * as vscode from 'vscode';
import { PlayerSession, type PlayerDeps } from './playerSession';

/**
 * "Open With… → Sora Player" on any `.mp4`: the same player as the Sora panel, read-only. Registered
 * with priority `option` in the manifest, so VS Code's own preview stays the default editor.
 */
export class VideoEditorProvider implements vscode.CustomReadonlyEditorProvider {
  static readonly viewType = 'sora.videoPlayer';

  static register(deps: PlayerDeps): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(VideoEditorProvider.viewType, new VideoEditorProvider(deps), {
      supportsMultipleEditorsPerDocument: true,
    });
  }

  private constructor(private readonly deps: PlayerDeps) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    const { uri } = document;
    // The sidecar, the audio probe and ffmpeg need a file on the extension host's disk.
    const videoPath = uri.scheme === 'file' ? uri.fsPath : undefined;
    if (!videoPath) this.deps.log.warn(`Player: ${uri.toString()} is not a local file; the Sora Player shows local videos only.`);
    const session = new PlayerSession(panel.webview, this.deps, { videoPath }, panel.title);
    panel.onDidDispose(() => session.dispose());
  }
}

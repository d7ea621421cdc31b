import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { existingAudiblePreview, FfmpegError, findFfmpeg, makeAudiblePreview } from '../../core/media/audiblePreview';
import { decodePngFrame, FrameImageError, framePathFor, writeFrame } from '../../core/media/frameImage';
import { detectAudioCodec } from '../../core/media/mp4Audio';
import { sidecarPathFor } from '../../core/media/outputNaming';
import { readSidecar, type VideoSidecar } from '../../core/media/sidecar';
import type { TaskRecord } from '../../core/tasks/task';
import {
  MAX_FRAME_PNG_BYTES,
  parsePlayerWebviewMessage,
  THUMBNAIL_WIDTH,
  type FramePurpose,
  type PlayerHostMessage,
  type PlayerView,
  type PlayerWebviewMessage,
} from '../../webview/messages';
import { webviewPage } from '../webviewHtml';
import { playerStrings } from '../webviewStrings';
import { videoOrigin, type VideoOrigin } from './videoOrigin';
import { playerSettings } from './playerSettings';

export interface PlayerDeps {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  /** The extension's cache folder for audible previews (under global storage). */
  previewCacheDir: string;
  findTask(id: string): TaskRecord | undefined;
  /** Opens the form preset with the settings (and source image) that made a video. */
  generateAgain(source: Pick<TaskRecord, 'request' | 'sourceImage'>): void;
  /** `sora.ffmpegPath`, machine-scoped: empty means "look on the PATH". */
  ffmpegPath(): string | undefined;
  /** What "Continue from Last Frame" does once the frame is saved beside the video. */
  continueFromFrame(pngPath: string, sidecar: VideoSidecar | undefined): Promise<void>;
  /** A thumbnail was saved next to a video, so views that show it can refresh. */
  thumbnailSaved?(videoPath: string, thumbPath: string): void;
  showError(text: string): void;
}

/** What a player shows: a video file, and the task that made it when the history has it. */
export interface PlayerSubject {
  videoPath?: string;
  taskId?: string;
}

/**
 * The host side of one player webview, whether it lives in a Sora panel or in the "Sora Player"
 * custom editor: one page, one message set, one set of actions.
 */
export class PlayerSession implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private previewing = false;
  private capturing = false;
  /** Set when the last `init` asked for a thumbnail; one thumbnail frame is accepted per request. */
  private thumbnailWanted = false;
  private initialized = false;
  /** "Continue from Last Frame" asked for before the page was ready. */
  private continuePending = false;

  /** The extension's assets, the video's own folder and the preview cache, nothing else. */
  static webviewOptions(deps: Pick<PlayerDeps, 'extensionUri' | 'previewCacheDir'>, videoPath: string | undefined): vscode.WebviewOptions {
    const roots = [vscode.Uri.joinPath(deps.extensionUri, 'media'), vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webview'), vscode.Uri.file(deps.previewCacheDir)];
    if (videoPath) roots.push(vscode.Uri.file(path.dirname(videoPath)));
    return { enableScripts: true, localResourceRoots: roots };
  }

  constructor(
    private readonly webview: vscode.Webview,
    private readonly deps: PlayerDeps,
    private readonly subject: PlayerSubject,
    title: string,
  ) {
    webview.options = PlayerSession.webviewOptions(deps, this.videoPath());
    webview.html = webviewPage({
      webview,
      extensionUri: deps.extensionUri,
      name: 'player',
      title,
      lang: vscode.env.language,
      strings: playerStrings(this.inWorkspace()),
    });
    this.disposables.push(webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
  }

  private videoPath(): string | undefined {
    return this.subject.videoPath ?? (this.subject.taskId ? this.deps.findTask(this.subject.taskId)?.localFile : undefined);
  }

  private receive(raw: unknown): void {
    const msg = parsePlayerWebviewMessage(raw);
    if (!msg) {
      this.deps.log.warn('Player: ignored an invalid message from the webview.');
      return;
    }
    this.handle(msg).catch((err: unknown) => this.deps.log.error(`Player: handling "${msg.type}" failed.`, err));
  }

  private async origin(): Promise<{ origin?: VideoOrigin; sidecar?: VideoSidecar }> {
    const file = this.videoPath();
    const sidecar = file ? await readSidecar(sidecarPathFor(file)) : undefined;
    const task = (this.subject.taskId ? this.deps.findTask(this.subject.taskId) : undefined) ?? (sidecar?.localId ? this.deps.findTask(sidecar.localId) : undefined);
    return { origin: videoOrigin(task, sidecar, vscode.l10n.t), sidecar };
  }

  private async handle(msg: PlayerWebviewMessage): Promise<void> {
    const file = this.videoPath();
    switch (msg.type) {
      case 'ready':
        this.post({ type: 'init', video: await this.view() });
        this.initialized = true;
        if (this.continuePending) {
          this.continuePending = false;
          this.post({ type: 'continueFromLastFrame' });
        }
        break;
      case 'reveal':
        if (file) await vscode.commands.executeCommand(this.inWorkspace() ? 'revealInExplorer' : 'revealFileInOS', vscode.Uri.file(file));
        break;
      case 'openExternal':
        if (file) await vscode.env.openExternal(vscode.Uri.file(file));
        break;
      case 'copyPrompt': {
        const { origin } = await this.origin();
        if (origin) {
          await vscode.env.clipboard.writeText(origin.request.prompt);
          vscode.window.setStatusBarMessage(vscode.l10n.t('Prompt copied'), 3000);
        }
        break;
      }
      case 'generateAgain': {
        const { origin } = await this.origin();
        if (origin) this.deps.generateAgain({ request: origin.request, sourceImage: this.trustedSourceImage(origin) });
        break;
      }
      case 'makeAudiblePreview':
        if (file) await this.makePreview(file);
        break;
      case 'frame':
        if (file) await this.saveFrame(file, msg.purpose, msg.png);
        break;
      case 'frameFailed':
        this.deps.log.warn(`Player: the webview could not capture a frame (${msg.purpose}): ${msg.reason}`);
        if (msg.purpose === 'continue') this.deps.showError(vscode.l10n.t('The last frame could not be taken from the video: {0}', msg.reason));
        break;
    }
  }

  /**
   * A sidecar is a file anyone can write (a cloned repository's, say): the image it names is attached
   * to the form only when it lies in an open workspace folder, never an arbitrary file of the user's.
   */
  private trustedSourceImage(origin: VideoOrigin): string | undefined {
    const image = origin.sourceImage;
    if (!image || origin.fromHistory) return image;
    return path.isAbsolute(image) && vscode.workspace.getWorkspaceFolder(vscode.Uri.file(image)) ? image : undefined;
  }

  private inWorkspace(): boolean {
    const file = this.videoPath();
    return !!file && vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file)) !== undefined;
  }

  private async view(): Promise<PlayerView> {
    const file = this.videoPath();
    const present = file !== undefined && (await isFile(file));
    const { origin, sidecar } = await this.origin();
    const silent = present ? await this.hasAacAudio(file) : false;
    const ffmpeg = silent ? await this.ffmpeg() : undefined;
    const cached = silent && present ? await existingAudiblePreview(this.deps.previewCacheDir, file) : undefined;
    this.thumbnailWanted = present && sidecar !== undefined && !(await isFile(framePathFor(file, 'thumb')));
    const t = vscode.l10n.t;
    return {
      taskId: origin?.localId ?? null,
      src: present ? this.webview.asWebviewUri(vscode.Uri.file(file)).toString() : '',
      fileName: file ? path.basename(file) : t('Sora Video'),
      prompt: origin?.request.prompt ?? null,
      modelLabel: origin?.modelLabel ?? null,
      cost: { credits: origin?.credits ?? null, elapsed: origin?.elapsed ?? null },
      settings: playerSettings(origin, file),
      silentPreview: silent,
      canMakeAudible: ffmpeg !== undefined,
      audibleSrc: cached ? this.webview.asWebviewUri(vscode.Uri.file(cached)).toString() : null,
      actions: { generateAgain: origin !== undefined, copyPrompt: origin !== undefined, continueFromLastFrame: present },
      wantThumbnail: this.thumbnailWanted,
    };
  }

  private async ffmpeg(): Promise<string | undefined> {
    const configured = this.deps.ffmpegPath();
    const found = await findFfmpeg(configured);
    if (!found && configured) this.deps.log.warn(`Player: sora.ffmpegPath "${configured}" is not an executable file; no audible preview.`);
    return found;
  }

  private async hasAacAudio(file: string): Promise<boolean> {
    try {
      return (await detectAudioCodec(file)) === 'aac';
    } catch (err) {
      this.deps.log.warn(`Player: could not read the audio track of ${path.basename(file)}: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }

  private async makePreview(file: string): Promise<void> {
    if (this.previewing) return;
    const ffmpeg = await this.ffmpeg();
    if (!ffmpeg) {
      this.post({ type: 'audiblePreview', state: 'failed', message: vscode.l10n.t('ffmpeg was not found. Install it, or set sora.ffmpegPath to its full path.') });
      return;
    }
    this.previewing = true;
    this.post({ type: 'audiblePreview', state: 'working' });
    try {
      const preview = await makeAudiblePreview(ffmpeg, file, this.deps.previewCacheDir);
      this.deps.log.info(`Player: audible preview of ${path.basename(file)} at ${preview}`);
      this.post({ type: 'audiblePreview', state: 'ready', src: this.webview.asWebviewUri(vscode.Uri.file(preview)).toString() });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      this.deps.log.error(`Player: the audible preview of ${path.basename(file)} failed: ${reason}${err instanceof FfmpegError && err.detail ? `\n${err.detail}` : ''}`);
      this.post({ type: 'audiblePreview', state: 'failed', message: vscode.l10n.t('The audible preview could not be made: {0}', reason) });
    } finally {
      this.previewing = false;
    }
  }

  private async saveFrame(file: string, purpose: FramePurpose, png: string): Promise<void> {
    if (purpose === 'thumbnail') {
      if (!this.thumbnailWanted) return;
      this.thumbnailWanted = false;
      try {
        const frame = decodePngFrame(png, MAX_FRAME_PNG_BYTES, THUMBNAIL_WIDTH);
        const thumb = framePathFor(file, 'thumb');
        await writeFrame(thumb, frame.bytes);
        this.deps.thumbnailSaved?.(file, thumb);
      } catch (err) {
        // A thumbnail is a nicety: a read-only folder or a refused frame is logged, not shown.
        this.deps.log.warn(`Player: no thumbnail for ${path.basename(file)}: ${err instanceof Error ? err.message : String(err)}`);
      }
      return;
    }
    if (this.capturing) return;
    this.capturing = true;
    try {
      const frame = decodePngFrame(png, MAX_FRAME_PNG_BYTES);
      const last = framePathFor(file, 'last');
      await writeFrame(last, frame.bytes);
      this.deps.log.info(`Player: saved the last frame of ${path.basename(file)} (${frame.width}x${frame.height}) as ${last}`);
      const { sidecar } = await this.origin();
      await this.deps.continueFromFrame(last, sidecar);
    } catch (err) {
      const reason = err instanceof FrameImageError || err instanceof Error ? err.message : String(err);
      this.deps.log.error(`Player: Continue from Last Frame failed for ${path.basename(file)}: ${reason}`);
      this.deps.showError(vscode.l10n.t('The last frame could not be saved beside the video: {0}', reason));
    } finally {
      this.capturing = false;
      this.post({ type: 'frameDone', purpose });
    }
  }

  /** Does what the page's "Continue from Last Frame" button does, as soon as the page can. */
  continueFromLastFrame(): void {
    if (this.initialized) this.post({ type: 'continueFromLastFrame' });
    else this.continuePending = true;
  }

  /** Replies are async; the user may have closed the player meanwhile. */
  private post(message: PlayerHostMessage): void {
    if (this.disposed) return;
    void this.webview.postMessage(message);
  }

  dispose(): void {
    this.disposed = true;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

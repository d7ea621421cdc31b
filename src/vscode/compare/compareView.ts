import * as path from 'path';
import * as vscode from 'vscode';
import {
  MAX_COMPARE_TAKES,
  parseCompareWebviewMessage,
  type ComparePlayback,
  type CompareHostMessage,
  type CompareView,
} from '../../webview/messages';
import { webviewPage } from '../webviewHtml';
import { compareStrings } from '../webviewStrings';

/** One video to compare: the task that made it, where it is, and what tells it apart. */
export interface CompareTake {
  taskId: string;
  videoPath: string;
  seed?: number | string;
  credits?: number;
}

export interface CompareOptions {
  title: string;
  /** 2 to 4 videos, shown in this order. */
  takes: CompareTake[];
  /** "Keep This One": the caller makes the take canonical (and may throw to say it could not). */
  onKeep(taskId: string): Promise<void>;
  /** The take that is already the canonical video, when the takes are compared again. */
  kept?: string;
}

export interface CompareDeps {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  showError(text: string): void;
}

/** The open compare view, for its caller: transport controls and where the videos are. */
export interface CompareHandle extends vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  play(): void;
  pause(): void;
  seek(seconds: number): void;
  /** Where each video was when the webview last reported (undefined before the first report). */
  playback(): ComparePlayback | undefined;
  readonly onDidReportPlayback: vscode.Event<ComparePlayback>;
}

export const COMPARE_VIEW_TYPE = 'sora.compare';

/**
 * Plays 2-4 takes side by side with one transport: play, pause and scrubbing move every video together,
 * each labelled with its seed and cost, each with "Keep This One".
 */
export function openCompareView(deps: CompareDeps, opts: CompareOptions): CompareHandle {
  const { takes } = opts;
  if (takes.length < 2 || takes.length > MAX_COMPARE_TAKES) throw new RangeError(`The compare view shows 2 to ${MAX_COMPARE_TAKES} videos, not ${takes.length}.`);
  if (new Set(takes.map((t) => t.taskId)).size !== takes.length) throw new RangeError('Each compared video needs its own task id.');

  const folders = [...new Set(takes.map((t) => path.dirname(t.videoPath)))];
  const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, opts.title, vscode.ViewColumn.Active, {
    enableScripts: true,
    // Each video's own folder and the extension's assets, nothing else.
    localResourceRoots: [vscode.Uri.joinPath(deps.extensionUri, 'media'), vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webview'), ...folders.map((f) => vscode.Uri.file(f))],
  });
  const webview = panel.webview;
  webview.html = webviewPage({ webview, extensionUri: deps.extensionUri, name: 'compare', title: opts.title, lang: vscode.env.language, strings: compareStrings() });

  const playbackEmitter = new vscode.EventEmitter<ComparePlayback>();
  let lastPlayback: ComparePlayback | undefined;
  let keptTaskId: string | null = opts.kept ?? null;
  let keeping = false;
  let disposed = false;
  const post = (m: CompareHostMessage) => {
    if (!disposed) void webview.postMessage(m);
  };
  const view = (): CompareView => ({
    title: opts.title,
    keptTaskId,
    takes: takes.map((t) => ({
      taskId: t.taskId,
      src: webview.asWebviewUri(vscode.Uri.file(t.videoPath)).toString(),
      fileName: path.basename(t.videoPath),
      seed: t.seed === undefined ? null : String(t.seed),
      credits: typeof t.credits === 'number' && Number.isFinite(t.credits) ? t.credits : null,
    })),
  });

  const keep = async (taskId: string) => {
    // Only a take this view was opened with, and one choice at a time.
    if (keeping || !takes.some((t) => t.taskId === taskId)) {
      post({ type: 'keepFailed', taskId });
      return;
    }
    keeping = true;
    try {
      await opts.onKeep(taskId);
      keptTaskId = taskId;
      post({ type: 'kept', taskId });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      deps.log.error(`Compare: keeping ${taskId} failed: ${reason}`);
      deps.showError(vscode.l10n.t('The video could not be kept: {0}', reason));
      post({ type: 'keepFailed', taskId });
    } finally {
      keeping = false;
    }
  };

  const subscriptions = [
    webview.onDidReceiveMessage((raw: unknown) => {
      const msg = parseCompareWebviewMessage(raw);
      if (!msg) {
        deps.log.warn('Compare: ignored an invalid message from the webview.');
        return;
      }
      switch (msg.type) {
        case 'ready':
          post({ type: 'init', view: view() });
          break;
        case 'keep':
          void keep(msg.taskId);
          break;
        case 'playback': {
          const known = new Set(takes.map((t) => t.taskId));
          if (!msg.takes.every((t) => known.has(t.taskId))) return;
          lastPlayback = { takes: msg.takes };
          playbackEmitter.fire(lastPlayback);
          break;
        }
      }
    }),
    panel.onDidDispose(() => {
      disposed = true;
      for (const s of subscriptions) s.dispose();
      playbackEmitter.dispose();
    }),
  ];

  return {
    panel,
    play: () => post({ type: 'play' }),
    pause: () => post({ type: 'pause' }),
    seek: (seconds) => {
      if (Number.isFinite(seconds) && seconds >= 0) post({ type: 'seek', time: seconds });
    },
    playback: () => lastPlayback,
    onDidReportPlayback: playbackEmitter.event,
    dispose: () => panel.dispose(),
  };
}

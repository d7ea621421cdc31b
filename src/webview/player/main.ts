import { format, h, readStrings, vscodeApi } from '../dom';
import { THUMBNAIL_WIDTH, type FramePurpose, type PlayerHostMessage, type PlayerView, type PlayerWebviewMessage } from '../messages';
import type { PlayerStrings } from '../strings';
import { captureFrame } from './frameCapture';

/** What VS Code hands the panel serializer after a reload. */
interface PlayerState {
  taskId: string;
}

const vscode = vscodeApi<PlayerWebviewMessage, PlayerState>();
const s = readStrings<PlayerStrings>();
const app = document.getElementById('app') as HTMLElement;

/** The page's live parts, replaced on every `init`. */
let current: { view: PlayerView; video: HTMLVideoElement; notice: HTMLElement; continueButton: HTMLButtonElement } | undefined;

function button(label: string, message: PlayerWebviewMessage, secondary = true): HTMLButtonElement {
  const b = h('button', { class: secondary ? 'secondary' : '', text: label, attrs: { type: 'button' } });
  b.addEventListener('click', () => vscode.postMessage(message));
  return b;
}

function show(view: PlayerView): void {
  if (view.taskId) vscode.setState({ taskId: view.taskId });

  const video = h('video', { attrs: { controls: '', preload: 'metadata', 'aria-label': s.videoLabel } });
  const src = view.audibleSrc ?? view.src;
  if (src) video.src = src;
  video.hidden = src === '';

  const videoError = h('div', { class: 'video-error', attrs: { role: 'alert' } }, h('p', { text: s.videoError }));
  videoError.hidden = src !== '';
  video.addEventListener('error', () => {
    video.hidden = true;
    videoError.hidden = false;
  });

  const notice = h('div', { class: 'notice', attrs: { role: 'note', 'aria-live': 'polite' } });
  if (view.audibleSrc) notice.append(h('p', { text: s.audibleReady }));
  else if (view.silentPreview && view.canMakeAudible) {
    const make = h('button', { text: s.makeAudible, attrs: { type: 'button' } });
    make.addEventListener('click', () => {
      make.disabled = true;
      vscode.postMessage({ type: 'makeAudiblePreview' });
    });
    notice.append(h('p', { text: s.silentPreviewAudible }), make);
  } else if (view.silentPreview) notice.append(h('p', { text: s.silentPreview }));
  notice.hidden = notice.childElementCount === 0;

  const copied = h('span', { class: 'copied', attrs: { 'aria-live': 'polite' } });
  const copy = h('button', { class: 'secondary', text: s.copyPrompt, attrs: { type: 'button' } });
  copy.addEventListener('click', () => {
    vscode.postMessage({ type: 'copyPrompt' });
    copied.textContent = s.copied;
  });

  const continueButton = h('button', { class: 'secondary', text: s.continueFromLastFrame, attrs: { type: 'button' } });
  continueButton.addEventListener('click', startContinue);

  const facts: string[] = [];
  if (view.cost.credits !== null) facts.push(format(s.creditsUsed, view.cost.credits));
  if (view.cost.elapsed !== null) facts.push(format(s.generatedIn, view.cost.elapsed));

  const settings = h('dl', {});
  if (view.modelLabel) settings.append(h('dt', { text: s.model }), h('dd', { text: view.modelLabel }));
  for (const item of view.settings) settings.append(h('dt', { text: item.label }), h('dd', { text: item.value }));

  app.replaceChildren(
    h('h1', { text: view.fileName }),
    ...(facts.length ? [h('p', { class: 'facts', text: facts.join(' · ') })] : []),
    video,
    videoError,
    notice,
    h(
      'div',
      { class: 'toolbar' },
      view.actions.generateAgain && button(s.generateAgain, { type: 'generateAgain' }, false),
      view.actions.continueFromLastFrame && continueButton,
      button(s.reveal, { type: 'reveal' }),
      button(s.openExternal, { type: 'openExternal' }),
      view.actions.copyPrompt && copy,
      copied,
    ),
    ...(view.prompt !== null ? [h('h2', { text: s.prompt }), h('p', { class: 'prompt', text: view.prompt })] : [h('p', { class: 'no-origin', text: s.noOrigin })]),
    h('h2', { text: s.settings }),
    settings,
  );
  current = { view, video, notice, continueButton };
  if (view.wantThumbnail && view.src) void sendFrame(view.src, 'thumbnail');
}

/** Draws the frame from the original file (never the preview) and hands it to the host to save. */
async function sendFrame(src: string, purpose: FramePurpose): Promise<void> {
  try {
    const png = await captureFrame(src, purpose === 'continue' ? 'last' : 'first', purpose === 'thumbnail' ? THUMBNAIL_WIDTH : undefined);
    vscode.postMessage({ type: 'frame', purpose, png });
  } catch (err) {
    vscode.postMessage({ type: 'frameFailed', purpose, reason: (err instanceof Error ? err.message : String(err)).slice(0, 500) });
    if (purpose === 'continue') resetContinue();
  }
}

function startContinue(): void {
  if (!current || current.continueButton.disabled || !current.view.src) return;
  current.continueButton.disabled = true;
  current.continueButton.textContent = s.takingFrame;
  void sendFrame(current.view.src, 'continue');
}

function resetContinue(): void {
  if (!current) return;
  current.continueButton.disabled = false;
  current.continueButton.textContent = s.continueFromLastFrame;
}

function audiblePreview(msg: Extract<PlayerHostMessage, { type: 'audiblePreview' }>): void {
  if (!current) return;
  const { video, notice } = current;
  switch (msg.state) {
    case 'working':
      notice.replaceChildren(h('p', { text: s.makingAudible }));
      break;
    case 'ready': {
      // Same picture, so the user keeps their place in it.
      const at = video.currentTime;
      const wasPlaying = !video.paused;
      video.src = msg.src;
      video.hidden = false;
      video.addEventListener(
        'loadedmetadata',
        () => {
          video.currentTime = Math.min(at, video.duration || at);
          if (wasPlaying) void video.play().catch(() => undefined);
        },
        { once: true },
      );
      notice.replaceChildren(h('p', { text: s.audibleReady }));
      break;
    }
    case 'failed':
      notice.replaceChildren(h('p', { class: 'error-text', text: msg.message }), h('p', { text: s.silentPreview }));
      break;
  }
  notice.hidden = false;
}

window.addEventListener('message', (event: MessageEvent<PlayerHostMessage>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'init':
      show(msg.video);
      break;
    case 'audiblePreview':
      audiblePreview(msg);
      break;
    case 'frameDone':
      if (msg.purpose === 'continue') resetContinue();
      break;
    case 'continueFromLastFrame':
      startContinue();
      break;
  }
});

vscode.postMessage({ type: 'ready' });

import { h, readStrings, vscodeApi } from '../dom';
import type { PlayerHostMessage, PlayerView, PlayerWebviewMessage } from '../messages';
import type { PlayerStrings } from '../strings';

/** What VS Code hands the panel serializer after a reload. */
interface PlayerState {
  taskId: string;
}

const vscode = vscodeApi<PlayerWebviewMessage, PlayerState>();
const s = readStrings<PlayerStrings>();
const app = document.getElementById('app') as HTMLElement;

function button(label: string, message: PlayerWebviewMessage, secondary = true): HTMLButtonElement {
  const b = h('button', { class: secondary ? 'secondary' : '', text: label, attrs: { type: 'button' } });
  b.addEventListener('click', () => vscode.postMessage(message));
  return b;
}

function show(view: PlayerView): void {
  vscode.setState({ taskId: view.taskId });

  const video = h('video', { attrs: { controls: '', preload: 'metadata', 'aria-label': s.videoLabel } });
  if (view.src) video.src = view.src;
  video.hidden = view.src === '';

  const openExternal = () => button(s.openExternal, { type: 'openExternal' }, false);
  const videoError = h('div', { class: 'video-error', attrs: { role: 'alert' } }, h('p', { text: s.videoError }), openExternal());
  videoError.hidden = view.src !== '';
  video.addEventListener('error', () => {
    video.hidden = true;
    videoError.hidden = false;
  });

  const silent = view.silentPreview ? h('div', { class: 'notice', attrs: { role: 'note' } }, h('p', { text: s.silentPreview }), openExternal()) : null;

  const copied = h('span', { class: 'copied', attrs: { 'aria-live': 'polite' } });
  const copy = h('button', { class: 'secondary', text: s.copyPrompt, attrs: { type: 'button' } });
  copy.addEventListener('click', () => {
    vscode.postMessage({ type: 'copyPrompt' });
    copied.textContent = s.copied;
  });

  const settings = h('dl', {});
  settings.append(h('dt', { text: s.model }), h('dd', { text: view.modelLabel }));
  for (const item of view.settings) settings.append(h('dt', { text: item.label }), h('dd', { text: item.value }));

  app.replaceChildren(
    h('h1', { text: view.fileName }),
    video,
    videoError,
    ...(silent ? [silent] : []),
    h(
      'div',
      { class: 'toolbar' },
      button(s.generateAgain, { type: 'generateAgain' }, false),
      button(s.reveal, { type: 'reveal' }),
      button(s.openExternal, { type: 'openExternal' }),
      copy,
      copied,
    ),
    h('h2', { text: s.prompt }),
    h('p', { class: 'prompt', text: view.prompt }),
    h('h2', { text: s.settings }),
    settings,
  );
}

window.addEventListener('message', (event: MessageEvent<PlayerHostMessage>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'init':
      show(msg.video);
      break;
  }
});

vscode.postMessage({ type: 'ready' });

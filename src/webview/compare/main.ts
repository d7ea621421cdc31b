import { format, h, readStrings, vscodeApi } from '../dom';
import type { CompareHostMessage, CompareTakeView, CompareView, CompareWebviewMessage } from '../messages';
import type { CompareStrings } from '../strings';

const vscode = vscodeApi<CompareWebviewMessage>();
const s = readStrings<CompareStrings>();
const app = document.getElementById('app') as HTMLElement;

/** Videos further apart than this are pulled back to the clock while playing. */
const MAX_DRIFT_S = 0.15;
const REPORT_EVERY_MS = 250;

interface Take {
  view: CompareTakeView;
  video: HTMLVideoElement;
  card: HTMLElement;
  keep: HTMLButtonElement;
  listen: HTMLButtonElement;
}

let takes: Take[] = [];
let playing = false;
let lastReport = 0;
const playButton = h('button', { text: s.play, attrs: { type: 'button' } });
const scrubber = h('input', { attrs: { type: 'range', min: '0', max: '0', step: '0.01', value: '0', 'aria-label': s.position } });
const clock = h('span', { class: 'clock', attrs: { 'aria-hidden': 'true' } });

/** The longest video sets the timeline; the shorter ones stop on their last frame. */
function leader(): HTMLVideoElement | undefined {
  let best: HTMLVideoElement | undefined;
  for (const { video } of takes) if (!best || (video.duration || 0) > (best.duration || 0)) best = video;
  return best;
}

function duration(): number {
  return leader()?.duration || 0;
}

function time(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

function playAll(): void {
  const lead = leader();
  if (!lead) return;
  if (lead.ended || lead.currentTime >= duration()) seekAll(0);
  playing = true;
  for (const { video } of takes) {
    if (video.currentTime < (video.duration || Infinity)) void video.play().catch(() => undefined);
  }
  render();
}

function pauseAll(): void {
  playing = false;
  for (const { video } of takes) video.pause();
  const at = leader()?.currentTime ?? 0;
  seekAll(at);
  render();
}

function seekAll(at: number): void {
  for (const { video } of takes) video.currentTime = Math.min(at, video.duration || at);
  render();
}

/** While playing, every video follows the leader's clock. */
function follow(): void {
  const lead = leader();
  if (!lead) return;
  if (playing) {
    for (const { video } of takes) {
      if (video === lead || video.ended) continue;
      const target = Math.min(lead.currentTime, video.duration || lead.currentTime);
      if (Math.abs(video.currentTime - target) > MAX_DRIFT_S) video.currentTime = target;
    }
  }
  render();
}

function render(): void {
  const lead = leader();
  const at = lead?.currentTime ?? 0;
  scrubber.max = String(duration());
  if (document.activeElement !== scrubber) scrubber.value = String(at);
  clock.textContent = `${time(at)} / ${time(duration())}`;
  playButton.textContent = playing ? s.pause : s.play;
  report();
}

/** Tells the host where each video is, at most every REPORT_EVERY_MS (and always on a state change). */
function report(force = false): void {
  const now = Date.now();
  if (!force && now - lastReport < REPORT_EVERY_MS) return;
  lastReport = now;
  vscode.postMessage({ type: 'playback', takes: takes.map(({ view, video }) => ({ taskId: view.taskId, paused: video.paused, time: video.currentTime })) });
}

function setListening(chosen: Take): void {
  for (const t of takes) {
    t.video.muted = t !== chosen;
    t.listen.textContent = t === chosen ? s.listening : s.listen;
    t.listen.setAttribute('aria-pressed', String(t === chosen));
  }
}

function markKept(taskId: string | null): void {
  for (const t of takes) {
    const kept = t.view.taskId === taskId;
    t.card.classList.toggle('kept', kept);
    t.keep.disabled = kept;
    t.keep.textContent = kept ? s.kept : s.keep;
  }
}

function card(view: CompareTakeView): Take {
  const video = h('video', { attrs: { preload: 'auto', 'aria-label': view.fileName } });
  video.src = view.src;
  video.muted = true;
  const error = h('p', { class: 'error-text', text: s.videoError });
  error.hidden = true;
  video.addEventListener('error', () => {
    error.hidden = false;
  });
  video.addEventListener('click', () => (playing ? pauseAll() : playAll()));
  for (const event of ['timeupdate', 'loadedmetadata', 'seeked'] as const) video.addEventListener(event, follow);
  for (const event of ['play', 'pause'] as const) video.addEventListener(event, () => report(true));
  video.addEventListener('ended', () => {
    if (video === leader()) {
      playing = false;
      render();
      report(true);
    }
  });

  const labels = [view.seed !== null ? format(s.seed, view.seed) : s.seedUnknown];
  if (view.credits !== null) labels.push(format(s.credits, view.credits));
  const keep = h('button', { text: s.keep, attrs: { type: 'button', 'data-task-id': view.taskId } });
  const listen = h('button', { class: 'secondary', text: s.listen, attrs: { type: 'button', 'aria-pressed': 'false' } });
  const take: Take = {
    view,
    video,
    keep,
    listen,
    card: h(
      'section',
      { class: 'take' },
      video,
      error,
      h('p', { class: 'take-name', text: view.fileName }),
      h('p', { class: 'take-facts', text: labels.join(' · ') }),
      h('div', { class: 'take-actions' }, keep, listen),
    ),
  };
  keep.addEventListener('click', () => {
    for (const t of takes) t.keep.disabled = true;
    keep.textContent = s.keeping;
    vscode.postMessage({ type: 'keep', taskId: view.taskId });
  });
  listen.addEventListener('click', () => setListening(take));
  return take;
}

function show(view: CompareView): void {
  takes = view.takes.map(card);
  app.replaceChildren(
    h('h1', { text: view.title }),
    h('div', { class: `takes takes-${takes.length}` }, ...takes.map((t) => t.card)),
    h('div', { class: 'transport' }, playButton, scrubber, clock),
  );
  setListening(takes[0]);
  markKept(view.keptTaskId);
  render();
}

playButton.addEventListener('click', () => (playing ? pauseAll() : playAll()));
scrubber.addEventListener('input', () => seekAll(Number(scrubber.value)));
document.addEventListener('keydown', (e) => {
  if (e.key === ' ' && !(e.target instanceof HTMLButtonElement) && !(e.target instanceof HTMLInputElement)) {
    e.preventDefault();
    if (playing) pauseAll();
    else playAll();
  }
});

window.addEventListener('message', (event: MessageEvent<CompareHostMessage>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'init':
      show(msg.view);
      break;
    case 'play':
      playAll();
      break;
    case 'pause':
      pauseAll();
      break;
    case 'seek':
      seekAll(msg.time);
      break;
    case 'kept':
      markKept(msg.taskId);
      break;
    case 'keepFailed':
      markKept(takes.find((t) => t.card.classList.contains('kept'))?.view.taskId ?? null);
      break;
  }
});

vscode.postMessage({ type: 'ready' });

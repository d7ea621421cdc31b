/**
 * Takes a frame from the decoded video with a canvas, in a video element of its own so the one the
 * user watches keeps its place. No external tool: the browser's decoder is the one that plays it.
 */

/** Just before the end: seeking to the duration itself shows nothing in some decoders. */
const END_EPSILON_S = 0.001;
const CAPTURE_TIMEOUT_MS = 30_000;

/** Resolves with the frame as base64 PNG (no `data:` prefix). `maxWidth` scales it down, keeping the ratio. */
export async function captureFrame(src: string, which: 'first' | 'last', maxWidth?: number): Promise<string> {
  if (!src) throw new Error('no video file');
  const video = document.createElement('video');
  // The webview's resource URLs are another origin; without CORS the canvas would be tainted.
  video.crossOrigin = 'anonymous';
  video.muted = true;
  video.preload = 'auto';
  video.playsInline = true;
  try {
    video.src = src;
    await until(video, 'loadeddata');
    const duration = video.duration;
    if (!Number.isFinite(duration) || duration <= 0) throw new Error('the video has no known duration');
    const target = which === 'first' ? 0 : Math.max(0, duration - END_EPSILON_S);
    if (Math.abs(video.currentTime - target) > 1e-6) {
      const seeked = until(video, 'seeked');
      video.currentTime = target;
      await seeked;
    }
    const { videoWidth, videoHeight } = video;
    if (!videoWidth || !videoHeight) throw new Error('the video has no picture');
    const scale = maxWidth && videoWidth > maxWidth ? maxWidth / videoWidth : 1;
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(videoWidth * scale));
    canvas.height = Math.max(1, Math.round(videoHeight * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
    const url = canvas.toDataURL('image/png');
    const comma = url.indexOf(',');
    if (!url.startsWith('data:image/png;base64,') || comma < 0) throw new Error('the canvas did not produce a PNG');
    return url.slice(comma + 1);
  } finally {
    video.removeAttribute('src');
    video.load();
  }
}

function until(video: HTMLVideoElement, event: 'loadeddata' | 'seeked'): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`timed out waiting for ${event}`)), CAPTURE_TIMEOUT_MS);
    const onEvent = () => done();
    const onError = () => done(new Error(video.error?.message || 'the video could not be decoded'));
    function done(err?: Error): void {
      clearTimeout(timer);
      video.removeEventListener(event, onEvent);
      video.removeEventListener('error', onError);
      if (err) reject(err);
      else resolve();
    }
    video.addEventListener(event, onEvent);
    video.addEventListener('error', onError);
  });
}

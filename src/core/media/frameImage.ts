import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';

/**
 * Frames the player webview draws from the decoded video and sends as PNG bytes: checked here before
 * they are written beside the video, because the bytes come from a webview and a webview is not trusted.
 */

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Kie's largest output is 1080p; a frame far beyond 8K is not a frame of it. */
const MAX_SIDE = 8192;

export type FrameKind = 'last' | 'thumb';

/** `clip.mp4` → `clip.last.png` (the next shot's first frame) or `clip.thumb.png` (the first frame, small). */
export function framePathFor(videoPath: string, kind: FrameKind): string {
  return `${videoPath.replace(/\.mp4$/i, '')}.${kind}.png`;
}

export class FrameImageError extends Error {
  override name = 'FrameImageError';
}

export interface PngFrame {
  bytes: Buffer;
  width: number;
  height: number;
}

/** Decodes and checks a PNG: its signature, an IHDR first, and a size within `maxBytes` and `maxWidth`. */
export function decodePngFrame(base64: string, maxBytes: number, maxWidth = MAX_SIDE): PngFrame {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length > maxBytes) throw new FrameImageError(`The frame is ${bytes.length} bytes, more than the ${maxBytes} allowed.`);
  if (bytes.length < 33 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE) || bytes.toString('latin1', 12, 16) !== 'IHDR') {
    throw new FrameImageError('The frame is not a PNG image.');
  }
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  if (width === 0 || height === 0 || width > Math.min(maxWidth, MAX_SIDE) || height > MAX_SIDE) {
    throw new FrameImageError(`The frame's size ${width}x${height} is out of range.`);
  }
  return { bytes, width, height };
}

/** Writes through a temporary file so a reader never sees half an image. */
export async function writeFrame(file: string, bytes: Buffer): Promise<void> {
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, file);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

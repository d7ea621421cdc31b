import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { KieError } from '../kie/errors';

/** Kie's documented limit for image_urls. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

export type AcceptedImageType = 'image/png' | 'image/jpeg' | 'image/webp';

const ACCEPTED = 'PNG, JPEG or WebP';

/** Identifies an image by its leading bytes; the file extension is not trusted. */
export function detectImageType(head: Uint8Array): AcceptedImageType | undefined {
  const b = head;
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) {
    return 'image/png';
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

function ascii(b: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...b.subarray(from, to));
}

/** Formats people commonly try, recognised so the message can say what the file is. */
export type OtherImageFormat = 'gif' | 'bmp' | 'heifOrVideo' | 'tiff' | 'pdf' | 'svgOrXml';

const FORMAT_NAMES: Record<OtherImageFormat, string> = {
  gif: 'a GIF image',
  bmp: 'a BMP image',
  heifOrVideo: 'a HEIC/AVIF or video file',
  tiff: 'a TIFF image',
  pdf: 'a PDF document',
  svgOrXml: 'an SVG or XML file',
};

function describeOther(head: Uint8Array): OtherImageFormat | undefined {
  if (ascii(head, 0, 4) === 'GIF8') return 'gif';
  if (ascii(head, 0, 2) === 'BM') return 'bmp';
  if (ascii(head, 4, 8) === 'ftyp') return 'heifOrVideo';
  if ((head[0] === 0x49 && head[1] === 0x49 && head[2] === 0x2a) || (head[0] === 0x4d && head[1] === 0x4d && head[3] === 0x2a)) return 'tiff';
  if (ascii(head, 0, 4) === '%PDF') return 'pdf';
  if (ascii(head, 0, 5).toLowerCase() === '<?xml' || ascii(head, 0, 4).toLowerCase() === '<svg') return 'svgOrXml';
  return undefined;
}

/**
 * Why an image was refused, with the values a sentence needs. The editor layer words it in the user's
 * language; the error's `message` is the English one, for the log.
 */
export type ImageProblem =
  | { reason: 'notAFile'; name: string }
  | { reason: 'unreadable'; name: string; cause: string }
  | { reason: 'empty'; name: string }
  | { reason: 'tooLarge'; name: string; bytes: number; maxBytes: number }
  | { reason: 'otherFormat'; name: string; format: OtherImageFormat }
  | { reason: 'unknownFormat'; name: string };

function englishMessage(p: ImageProblem): string {
  switch (p.reason) {
    case 'notAFile':
      return `${p.name} is not a file: choose a ${ACCEPTED} image.`;
    case 'unreadable':
      return `Cannot read the image ${p.name}: ${p.cause}`;
    case 'empty':
      return `${p.name} is empty: choose a ${ACCEPTED} image.`;
    case 'tooLarge':
      return `${p.name} is ${(p.bytes / (1024 * 1024)).toFixed(1)} MB; Kie accepts images up to 10 MB. Resize or compress it first.`;
    case 'otherFormat':
      return `${p.name} is ${FORMAT_NAMES[p.format]}; Kie accepts only ${ACCEPTED} images. Convert it first.`;
    case 'unknownFormat':
      return `${p.name} is not a ${ACCEPTED} image (its contents do not match any of them). Convert it first.`;
  }
}

/** A refused source image: an `invalidInput` KieError on the image field that also says why, as data. */
export class ImageCheckError extends KieError {
  constructor(
    readonly problem: ImageProblem,
    cause?: unknown,
  ) {
    super({ kind: 'invalidInput', field: 'image', message: englishMessage(problem), cause });
  }
}

/** Checks the image on disk: it exists, is PNG, JPEG or WebP by its bytes, and is at most 10 MB. */
export async function checkImageFile(filePath: string): Promise<{ mime: AcceptedImageType; bytes: number }> {
  const name = basename(filePath);
  let size: number;
  try {
    const st = await stat(filePath);
    if (!st.isFile()) throw new ImageCheckError({ reason: 'notAFile', name });
    size = st.size;
  } catch (e) {
    if (e instanceof KieError) throw e;
    throw new ImageCheckError({ reason: 'unreadable', name, cause: (e as Error).message }, e);
  }
  if (size === 0) throw new ImageCheckError({ reason: 'empty', name });
  if (size > MAX_IMAGE_BYTES) throw new ImageCheckError({ reason: 'tooLarge', name, bytes: size, maxBytes: MAX_IMAGE_BYTES });
  const head = new Uint8Array(16);
  const handle = await open(filePath, 'r');
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  const mime = detectImageType(head);
  if (!mime) {
    const format = describeOther(head);
    throw new ImageCheckError(format ? { reason: 'otherFormat', name, format } : { reason: 'unknownFormat', name });
  }
  return { mime, bytes: size };
}

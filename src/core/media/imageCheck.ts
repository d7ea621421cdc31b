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

/** Names formats people commonly try, so the message can say what the file is. */
function describeOther(head: Uint8Array): string | undefined {
  if (ascii(head, 0, 4) === 'GIF8') return 'a GIF image';
  if (ascii(head, 0, 2) === 'BM') return 'a BMP image';
  if (ascii(head, 4, 8) === 'ftyp') return 'a HEIC/AVIF or video file';
  if ((head[0] === 0x49 && head[1] === 0x49 && head[2] === 0x2a) || (head[0] === 0x4d && head[1] === 0x4d && head[3] === 0x2a)) return 'a TIFF image';
  if (ascii(head, 0, 4) === '%PDF') return 'a PDF document';
  if (ascii(head, 0, 5).toLowerCase() === '<?xml' || ascii(head, 0, 4).toLowerCase() === '<svg') return 'an SVG or XML file';
  return undefined;
}

function imageError(message: string, cause?: unknown): KieError {
  return new KieError({ kind: 'invalidInput', field: 'image', message, cause });
}

/** Checks the image on disk: it exists, is PNG, JPEG or WebP by its bytes, and is at most 10 MB. */
export async function checkImageFile(filePath: string): Promise<{ mime: AcceptedImageType; bytes: number }> {
  const name = basename(filePath);
  let size: number;
  try {
    const st = await stat(filePath);
    if (!st.isFile()) throw imageError(`${name} is not a file: choose a ${ACCEPTED} image.`);
    size = st.size;
  } catch (e) {
    if (e instanceof KieError) throw e;
    throw imageError(`Cannot read the image ${name}: ${(e as Error).message}`, e);
  }
  if (size === 0) throw imageError(`${name} is empty: choose a ${ACCEPTED} image.`);
  if (size > MAX_IMAGE_BYTES) {
    const mb = (size / (1024 * 1024)).toFixed(1);
    throw imageError(`${name} is ${mb} MB; Kie accepts images up to 10 MB. Resize or compress it first.`);
  }
  const head = new Uint8Array(16);
  const handle = await open(filePath, 'r');
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  const mime = detectImageType(head);
  if (!mime) {
    const what = describeOther(head);
    throw imageError(
      what
        ? `${name} is ${what}; Kie accepts only ${ACCEPTED} images. Convert it first.`
        : `${name} is not a ${ACCEPTED} image (its contents do not match any of them). Convert it first.`,
    );
  }
  return { mime, bytes: size };
}

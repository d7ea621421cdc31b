import { createReadStream } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import FormData from 'form-data';

export interface MultipartFile {
  field: string;
  path: string;
  bytes: number;
  fileName: string;
  mime: string;
}

/**
 * A multipart body that streams the file from disk instead of buffering it. `knownLength` lets the
 * Content-Length be computed up front, which upload hosts expect.
 */
export function multipartBody(file: MultipartFile, fields: Record<string, string>): { body: Readable; headers: Record<string, string> } {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const source = createReadStream(file.path);
  form.append(file.field, source, { filename: file.fileName, contentType: file.mime, knownLength: file.bytes });
  const headers: Record<string, string> = { ...form.getHeaders(), 'content-length': String(form.getLengthSync()) };
  const body = new PassThrough();
  form.on('error', (e: Error) => body.destroy(e));
  // A request that fails before reading the whole body must not leave the file open.
  body.on('close', () => source.destroy());
  form.pipe(body);
  return { body, headers };
}

const EXTENSION: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

/**
 * A name unique per upload (two uploads of `image.png` never overwrite each other) whose extension is the image's real type, sniffed from its bytes: Kie serves an
 * upload with the Content-Type of its name, and a JPEG named .png made Veo fail.
 */
export function uniqueFileName(original: string, mime: string): string {
  const stem = original.replace(/\.[^.]*$/, '');
  const safe = stem.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/-+\./g, '.').replace(/^-+|-+$/g, '') || 'image';
  const ext = EXTENSION[mime] ?? 'bin';
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${safe}.${ext}`;
}

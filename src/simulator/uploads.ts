import { randomBytes } from 'node:crypto';
import { imgbbError, uploadError } from './envelope';
import { isRecord, json, type Answer } from './http';
import { multipartBoundary, MultipartError, parseMultipart, type FormPart } from './multipart';

/** An uploaded file, served back at its public URL. */
export interface StoredUpload {
  data: Buffer;
  mimeType: string;
}

export interface UploadRequest {
  method: string;
  /** Path below the host's prefix, e.g. `/api/file-stream-upload` or `/1/upload`. */
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  raw: Buffer;
  json: unknown;
}

export interface UploadContext {
  now(): number;
  /** Uploaded files by the URL path they are served at. */
  store: Map<string, StoredUpload>;
  /** Public bases; the store keys are their path part plus the file's path. */
  uploadUrl: string;
  imgbbUrl: string;
  imgbbKey: string;
}

const IMGBB_MAX_BYTES = 32 * 1024 * 1024;
const URL_FETCH_TIMEOUT_MS = 10_000;

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'video/mp4': 'mp4',
  'application/octet-stream': 'bin',
};

/** Recognises the formats an image host cares about from their first bytes. */
export function sniffMime(data: Buffer): string | undefined {
  if (data.length >= 8 && data.readUInt32BE(0) === 0x89504e47) return 'image/png';
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 12 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (data.length >= 6 && data.toString('latin1', 0, 4) === 'GIF8') return 'image/gif';
  if (data.length >= 8 && data.toString('latin1', 4, 8) === 'ftyp') return 'video/mp4';
  return undefined;
}

function mimeFromName(name: string | undefined): string | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(name ?? '')?.[1]?.toLowerCase();
  if (ext === 'jpeg') return 'image/jpeg';
  return Object.entries(EXTENSIONS).find(([, e]) => e === ext)?.[0];
}

/** Width and height of a PNG, GIF or baseline/progressive JPEG; zeros for anything else. */
export function imageSize(data: Buffer): { width: number; height: number } {
  const mime = sniffMime(data);
  if (mime === 'image/png' && data.length >= 24) return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  if (mime === 'image/gif' && data.length >= 10) return { width: data.readUInt16LE(6), height: data.readUInt16LE(8) };
  if (mime === 'image/jpeg') {
    let pos = 2;
    while (pos + 9 < data.length && data[pos] === 0xff) {
      const marker = data[pos + 1];
      const len = data.readUInt16BE(pos + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: data.readUInt16BE(pos + 7), height: data.readUInt16BE(pos + 5) };
      }
      pos += 2 + len;
    }
  }
  return { width: 0, height: 0 };
}

function decodeBase64(text: string): Buffer | undefined {
  const payload = text.replace(/^data:[^;,]+;base64,/, '').replace(/\s+/g, '');
  if (payload === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(payload)) return undefined;
  return Buffer.from(payload, 'base64');
}

async function fetchRemote(url: string): Promise<{ data: Buffer; contentType?: string } | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(URL_FETCH_TIMEOUT_MS) });
    if (!res.ok) return undefined;
    return { data: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type') ?? undefined };
  } catch {
    return undefined;
  }
}

function formParts(req: UploadRequest): FormPart[] | undefined {
  const boundary = multipartBoundary(req.contentType);
  if (boundary === undefined) return undefined;
  try {
    return parseMultipart(req.raw, boundary);
  } catch (err) {
    if (err instanceof MultipartError) return undefined;
    throw err;
  }
}

function field(parts: FormPart[], name: string): string | undefined {
  const part = parts.find((p) => p.name === name && p.fileName === undefined);
  return part?.data.toString('utf8');
}

function pathOf(base: string): string {
  return new URL(base).pathname.replace(/\/$/, '');
}

// ---- Kie upload host (kieai.redpandaai.co) ----

export async function handleKieUpload(ctx: UploadContext, req: UploadRequest): Promise<Answer> {
  if (req.method !== 'POST') return uploadError(405, 'Method not allowed', 405);
  let file: { data: Buffer; name?: string; contentType?: string } | undefined;
  let uploadPath: unknown;
  let fileName: unknown;
  if (req.path === '/api/file-stream-upload') {
    const parts = formParts(req);
    if (!parts) return uploadError(400, 'Content-Type must be multipart/form-data');
    const part = parts.find((p) => p.name === 'file' && p.fileName !== undefined);
    if (!part) return uploadError(400, 'file is required');
    file = { data: part.data, name: part.fileName, contentType: part.contentType };
    uploadPath = field(parts, 'uploadPath');
    fileName = field(parts, 'fileName');
  } else if (req.path === '/api/file-base64-upload' || req.path === '/api/file-url-upload') {
    if (!isRecord(req.json)) return uploadError(400, 'Request body must be a JSON object');
    uploadPath = req.json.uploadPath;
    fileName = req.json.fileName;
    if (req.path === '/api/file-base64-upload') {
      const b64 = req.json.base64Data;
      const data = typeof b64 === 'string' ? decodeBase64(b64) : undefined;
      if (!data) return uploadError(400, 'base64Data is required and must be valid base64');
      file = { data, contentType: typeof b64 === 'string' ? /^data:([^;,]+);base64,/.exec(b64)?.[1] : undefined };
    } else {
      const url = req.json.fileUrl;
      if (typeof url !== 'string' || !/^https?:\/\//.test(url)) return uploadError(400, 'fileUrl is required');
      const fetched = await fetchRemote(url);
      if (!fetched) return uploadError(500, 'Failed to download file from URL');
      file = { data: fetched.data, name: new URL(url).pathname.split('/').pop(), contentType: fetched.contentType };
    }
  } else {
    return uploadError(404, 'Not found', 404);
  }
  if (typeof uploadPath !== 'string' || uploadPath.trim() === '') return uploadError(400, 'uploadPath is required');
  const mimeType = sniffMime(file.data) ?? file.contentType?.split(';')[0] ?? mimeFromName(file.name) ?? 'application/octet-stream';
  const name =
    typeof fileName === 'string' && fileName !== ''
      ? fileName
      : `${randomBytes(8).toString('hex')}.${EXTENSIONS[mimeType] ?? 'bin'}`;
  const filePath = `${uploadPath.replace(/^\/+|\/+$/g, '')}/${name}`;
  const servedPath = `${pathOf(ctx.uploadUrl)}/files/${filePath.split('/').map(encodeURIComponent).join('/')}`;
  // Reusing a file name overwrites, as on Kie.
  ctx.store.set(servedPath, { data: file.data, mimeType });
  return json({
    success: true,
    code: 200,
    msg: 'File uploaded successfully',
    data: {
      fileName: name,
      filePath,
      downloadUrl: `${new URL(ctx.uploadUrl).origin}${servedPath}`,
      fileSize: file.data.length,
      mimeType,
      uploadedAt: new Date(ctx.now()).toISOString(),
    },
  });
}

// ---- imgbb (api.imgbb.com) ----

export async function handleImgbb(ctx: UploadContext, req: UploadRequest): Promise<Answer> {
  if (req.path !== '/1/upload') return imgbbError('Invalid API action.', 100, 400);
  if (req.method !== 'POST') return imgbbError('Invalid request method.', 100, 400);
  const parts = formParts(req);
  const form = new URLSearchParams(/^application\/x-www-form-urlencoded/i.test(req.contentType ?? '') ? req.raw.toString('utf8') : '');
  const value = (name: string): string | undefined => (parts ? field(parts, name) : (form.get(name) ?? undefined));
  const key = req.query.key ?? value('key');
  if (key !== ctx.imgbbKey) return imgbbError('Invalid API v1 key.', 100);
  const expirationText = req.query.expiration ?? value('expiration');
  const expiration = expirationText === undefined ? 0 : Number(expirationText);
  if (expirationText !== undefined && !(Number.isInteger(expiration) && expiration >= 60 && expiration <= 15552000)) {
    return imgbbError('Invalid expiration value.', 120);
  }
  let data: Buffer | undefined;
  const filePart = parts?.find((p) => p.name === 'image' && p.fileName !== undefined);
  if (filePart) {
    data = filePart.data;
  } else {
    const source = value('image');
    if (source === undefined || source === '') return imgbbError('Empty upload source.', 130);
    data = /^https?:\/\//.test(source) ? (await fetchRemote(source))?.data : decodeBase64(source);
  }
  if (!data) return imgbbError('Invalid image source.', 310);
  if (data.length > IMGBB_MAX_BYTES) return imgbbError('File too big.', 313);
  const mime = sniffMime(data);
  if (!mime || !mime.startsWith('image/')) return imgbbError('Invalid image format.', 310);
  const id = randomBytes(4).toString('hex').slice(0, 7);
  const name = (value('name') ?? randomBytes(6).toString('hex')).replace(/[^A-Za-z0-9_-]/g, '') || id;
  const extension = EXTENSIONS[mime];
  const fileName = `${name}.${extension}`;
  const servedPath = `${pathOf(ctx.imgbbUrl)}/i/${id}/${fileName}`;
  ctx.store.set(servedPath, { data, mimeType: mime });
  const origin = new URL(ctx.imgbbUrl).origin;
  const url = `${origin}${servedPath}`;
  const { width, height } = imageSize(data);
  const variant = { filename: fileName, name, mime, extension, url };
  // imgbb sends its numbers as strings.
  return json({
    data: {
      id,
      title: name,
      url_viewer: `${origin}${pathOf(ctx.imgbbUrl)}/v/${id}`,
      url,
      display_url: url,
      width: String(width),
      height: String(height),
      size: String(data.length),
      time: String(Math.floor(ctx.now() / 1000)),
      expiration: String(expiration),
      image: variant,
      thumb: variant,
      delete_url: `${origin}${pathOf(ctx.imgbbUrl)}/v/${id}/${randomBytes(16).toString('hex')}`,
    },
    success: true,
    status: 200,
  });
}

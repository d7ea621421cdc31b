import { createReadStream, promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Answer } from './http';

/** Bytes the simulator can serve, whole or by range, without holding more than a chunk in memory. */
export interface ByteSource {
  readonly size: number;
  readonly contentType: string;
  /** A stream of bytes start..endInclusive. */
  open(start: number, endInclusive: number): Readable;
}

export async function fileSource(filePath: string, contentType = 'video/mp4'): Promise<ByteSource> {
  const { size } = await fs.stat(filePath);
  return { size, contentType, open: (start, end) => createReadStream(filePath, { start, end }) };
}

export function bufferSource(data: Buffer, contentType: string): ByteSource {
  return { size: data.length, contentType, open: (start, end) => Readable.from([data.subarray(start, end + 1)]) };
}

const FILLER_CHUNK = 1024 * 1024;

/**
 * A file of `size` bytes made of `head` (the real fixture, so the start parses as an MP4) followed by a
 * repeated pattern, produced chunk by chunk so a 300 MB download benchmark costs no memory here.
 */
export function generatedSource(size: number, head: Buffer, contentType = 'video/mp4'): ByteSource {
  const filler = Buffer.alloc(FILLER_CHUNK);
  for (let i = 0; i < filler.length; i++) filler[i] = i & 0xff;
  function* chunks(start: number, end: number): Generator<Buffer> {
    let pos = start;
    while (pos <= end) {
      if (pos < head.length) {
        const stop = Math.min(head.length, end + 1);
        yield head.subarray(pos, stop);
        pos = stop;
      } else {
        const stop = Math.min(end + 1, pos + FILLER_CHUNK);
        const offset = (pos - head.length) % FILLER_CHUNK;
        const len = Math.min(stop - pos, FILLER_CHUNK - offset);
        yield filler.subarray(offset, offset + len);
        pos += len;
      }
    }
  }
  return { size, contentType, open: (start, end) => Readable.from(chunks(start, end), { objectMode: false }) };
}

export type RangeResult = { start: number; end: number; partial: boolean } | 'unsatisfiable';

/** One `bytes=` range; several ranges or a malformed header are answered with the whole file, as RFC 9110 allows. */
export function parseRange(header: string | undefined, size: number): RangeResult {
  const whole = { start: 0, end: size - 1, partial: false };
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!m || (m[1] === '' && m[2] === '')) return whole;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1, partial: true };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end, partial: true };
}

/**
 * Streams a source with Range support. `truncateAfter` sends the promised Content-Length but only that
 * many bytes, then drops the connection: what a client sees when a CDN download breaks halfway.
 */
export function serveBytes(req: IncomingMessage, res: ServerResponse, source: ByteSource, truncateAfter?: number): void {
  const range = parseRange(req.headers.range, source.size);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { 'Content-Range': `bytes */${source.size}`, 'Content-Length': '0' });
    res.end();
    return;
  }
  const length = source.size === 0 ? 0 : range.end - range.start + 1;
  const headers: Record<string, string> = {
    'Content-Type': source.contentType,
    'Content-Length': String(length),
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'private, max-age=86400',
  };
  if (range.partial) headers['Content-Range'] = `bytes ${range.start}-${range.end}/${source.size}`;
  res.writeHead(range.partial ? 206 : 200, headers);
  if (req.method === 'HEAD' || length === 0) {
    res.end();
    return;
  }
  if (truncateAfter === undefined || truncateAfter >= length) {
    const stream = source.open(range.start, range.end);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
    return;
  }
  const partialEnd = range.start + Math.max(0, truncateAfter) - 1;
  if (partialEnd < range.start) {
    res.flushHeaders();
    res.write('', () => res.socket?.destroy());
    return;
  }
  const stream = source.open(range.start, partialEnd);
  stream.on('error', () => res.destroy());
  stream.pipe(res, { end: false });
  stream.on('end', () => res.write('', () => res.socket?.destroy()));
}

/** Answers shaped like an expired or unknown signed object URL on a storage CDN. */
export function expiredAnswer(): Answer {
  return {
    status: 403,
    rawContentType: 'application/xml',
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>',
  };
}

export function missingAnswer(): Answer {
  return {
    status: 404,
    rawContentType: 'application/xml',
    body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>',
  };
}

interface IssuedUrl {
  taskId: string;
  issuedAt: number;
  ttlMs: number;
  revoked: boolean;
}

/** The signed result URLs handed out: `${base}/files/<token>.mp4`, each with its own lifetime. */
export class ResultUrls {
  private readonly issued = new Map<string, IssuedUrl>();

  constructor(private readonly baseUrl: string) {}

  issue(taskId: string, issuedAt: number, ttlMs: number): string {
    const token = randomBytes(12).toString('hex');
    this.issued.set(token, { taskId, issuedAt, ttlMs, revoked: false });
    return `${this.baseUrl}/files/${token}.mp4`;
  }

  /** The token of a URL this simulator issued, whatever its state. */
  tokenOf(url: string): string | undefined {
    const prefix = `${this.baseUrl}/files/`;
    if (!url.startsWith(prefix)) return undefined;
    const m = /^([0-9a-f]+)\.mp4$/.exec(url.slice(prefix.length).split('?')[0]);
    return m && this.issued.has(m[1]) ? m[1] : undefined;
  }

  status(token: string, now: number): 'valid' | 'expired' | 'unknown' {
    const u = this.issued.get(token);
    if (!u) return 'unknown';
    return u.revoked || now >= u.issuedAt + u.ttlMs ? 'expired' : 'valid';
  }

  /** A fresh URL for the same file; undefined for a URL this simulator never issued. */
  refresh(url: string, now: number, ttlMs: number): string | undefined {
    const token = this.tokenOf(url);
    if (token === undefined) return undefined;
    return this.issue(this.issued.get(token)!.taskId, now, ttlMs);
  }

  expireAll(): void {
    for (const u of this.issued.values()) u.revoked = true;
  }

  clear(): void {
    this.issued.clear();
  }
}

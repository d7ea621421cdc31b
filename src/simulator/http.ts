import type { IncomingMessage, ServerResponse } from 'node:http';

/** Big enough for imgbb's 32 MB limit sent as base64; anything larger is refused before buffering. */
export const MAX_BODY_BYTES = 48 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
  }
}

/** What a route handler answers; the server writes it, applying the request's quirks. */
export interface Answer {
  status: number;
  body: unknown;
  /** Send `body` verbatim as this content type instead of JSON. */
  rawContentType?: string;
  headers?: Record<string, string>;
}

export function json(body: unknown, status = 200, headers?: Record<string, string>): Answer {
  return { status, body, headers };
}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLargeError(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLargeError(limit));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function writeAnswer(res: ServerResponse, answer: Answer): void {
  const text = answer.rawContentType !== undefined ? String(answer.body) : JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'Content-Type': answer.rawContentType ?? 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    ...answer.headers,
  });
  res.end(text);
}

/** Headers are flattened to one string each, which is all the log and the routes need. */
export function flatHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(.+)$/i.exec(header?.trim() ?? '');
  return m ? m[1].trim() : undefined;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

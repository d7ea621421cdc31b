import { basename } from 'node:path';
import { asInt, envelopeMessage, isRecord } from '../envelope';
import { errorFromFailure } from '../errorMapping';
import { KieError } from '../errors';
import { joinUrl, type HttpClient } from '../http';
import { multipartBody, uniqueFileName } from './multipart';
import type { UploadParams } from './kieUpload';

export const IMGBB_UPLOAD_PATH = '/1/upload';
/** Kie fetches the image within minutes; a week keeps it for retries without keeping it forever. */
const EXPIRATION_SECONDS = 7 * 24 * 3600;

/**
 * imgbb reports every failure, rate limiting included, as HTTP 400 with `error.message`, so the
 * message decides the kind.
 */
function imgbbError(status: number, body: unknown): KieError {
  const err = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  const detail = (typeof err?.message === 'string' ? err.message : undefined) ?? (isRecord(body) ? envelopeMessage(body) : undefined);
  if (detail && /rate limit/i.test(detail)) {
    return new KieError({ kind: 'rateLimited', message: `imgbb is rate limiting uploads: wait a moment and try again. (${detail})`, detail, httpStatus: status });
  }
  if (detail && /key/i.test(detail)) {
    return new KieError({ kind: 'unauthorized', field: 'imgbbKey', message: `imgbb rejected the imgbb API key: set a valid one. (${detail})`, detail, httpStatus: status });
  }
  if (status >= 500 || status === 429) return errorFromFailure({ httpStatus: status, detail });
  return new KieError({
    kind: status >= 400 ? 'validation' : 'badResponse',
    message: `imgbb refused the image${detail ? `: ${detail}` : ` (HTTP ${status})`}.`,
    detail,
    httpStatus: status,
    code: isRecord(body) ? asInt(body.status_code) : undefined,
  });
}

/** Streams the image to imgbb (multipart field `image`) and returns its public `data.url`. */
export async function uploadToImgbb(http: HttpClient, baseUrl: string, key: string, p: UploadParams): Promise<string> {
  const url = joinUrl(baseUrl, IMGBB_UPLOAD_PATH, { key, expiration: String(EXPIRATION_SECONDS) });
  const fileName = uniqueFileName(basename(p.filePath), p.mime);
  const { body, headers } = multipartBody({ field: 'image', path: p.filePath, bytes: p.bytes, fileName, mime: p.mime }, { name: fileName });
  const answer = await http.send({ method: 'POST', url, body, headers, signal: p.signal, attempt: p.attempt, timeoutMs: 120_000 });
  const json = answer.json;
  if (answer.status !== 200 || !isRecord(json) || json.success === false) {
    if (json === undefined && answer.status < 400) {
      throw new KieError({ kind: 'badResponse', message: `imgbb answered HTTP ${answer.status} with a body that is not JSON.`, httpStatus: answer.status });
    }
    throw imgbbError(answer.status, json);
  }
  const link = isRecord(json.data) ? json.data.url : undefined;
  if (typeof link !== 'string' || !/^https?:\/\//i.test(link)) {
    throw new KieError({ kind: 'badResponse', message: 'imgbb answered without an image URL.' });
  }
  return link;
}

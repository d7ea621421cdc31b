import { basename } from 'node:path';
import { decodeEnvelope, isRecord } from '../envelope';
import { KieError } from '../errors';
import { joinUrl, type HttpClient } from '../http';
import { multipartBody, uniqueFileName } from './multipart';

export const KIE_UPLOAD_PATH = '/api/file-stream-upload';
/** Folder on Kie's file host; no slash at either end, as the API requires. */
export const KIE_UPLOAD_FOLDER = 'images/sora-video';

export interface UploadParams {
  filePath: string;
  bytes: number;
  mime: string;
  signal?: AbortSignal;
  attempt?: number;
}

/** Streams the image to Kie's file host (free, same key) and returns its public `downloadUrl`. */
export async function uploadToKie(http: HttpClient, baseUrl: string, apiKey: string, p: UploadParams): Promise<string> {
  const fileName = uniqueFileName(basename(p.filePath), p.mime);
  const { body, headers } = multipartBody(
    { field: 'file', path: p.filePath, bytes: p.bytes, fileName, mime: p.mime },
    { uploadPath: KIE_UPLOAD_FOLDER, fileName },
  );
  const answer = await http.send({
    method: 'POST',
    url: joinUrl(baseUrl, KIE_UPLOAD_PATH),
    bearer: apiKey,
    body,
    headers,
    signal: p.signal,
    attempt: p.attempt,
    timeoutMs: 120_000,
  });
  const data = decodeEnvelope(answer);
  const url = isRecord(data) ? (data.downloadUrl ?? data.fileUrl ?? data.url) : undefined;
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) {
    throw new KieError({ kind: 'badResponse', message: "Kie's file upload answered without a download URL." });
  }
  return url;
}

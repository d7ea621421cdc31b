import { isRecord } from './envelope';
import { KieError } from './errors';
import { optionalNumber, optionalString } from './taskParsing';

/** Kie endpoints shared by every model family: credits and fresh download links. */
export const CREDIT_PATH = '/api/v1/chat/credit';
export const DOWNLOAD_URL_PATH = '/api/v1/common/download-url';

export function parseCredits(data: unknown): number {
  const n = optionalNumber(isRecord(data) ? (data.credits ?? data.credit) : data);
  if (n === undefined) throw new KieError({ kind: 'badResponse', message: 'Kie answered the credit query without a number.' });
  return n;
}

export function parseDownloadUrl(data: unknown): string {
  const url = optionalString(isRecord(data) ? (data.url ?? data.downloadUrl) : data);
  if (url === undefined || !/^https?:\/\//i.test(url)) {
    throw new KieError({ kind: 'badResponse', message: 'Kie answered the download-url request without a URL.' });
  }
  return url;
}

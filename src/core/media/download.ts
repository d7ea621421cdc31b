import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { createWriteStream } from 'node:fs';
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { BlockList, isIP } from 'node:net';
import * as path from 'node:path';
import { finished } from 'node:stream/promises';
import { headerValue } from '../kie/envelope';
import { KieError, isKieError } from '../kie/errors';
import { STREAM_CHUNK_BYTES, redactUrl, transportError, type HttpClient, type OpenResponse } from '../kie/http';
import { backoffDelay, cancelledError, type RetryPolicy, type Sleep } from '../kie/retry';

export interface DownloadOptions {
  signal?: AbortSignal;
  /** Refuse files larger than this (checked against Content-Length and while streaming); default DEFAULT_MAX_DOWNLOAD_BYTES. */
  maxBytes?: number;
  onProgress?: (received: number, total?: number) => void;
}

export interface DownloadDeps {
  http: HttpClient;
  /** Origins allowed besides any https URL (the configured API base, so a local simulator works). */
  allowedOrigins: readonly string[];
  /** Gets a fresh link for an expired one; called at most once per download. */
  refresh?: (url: string, signal?: AbortSignal) => Promise<string>;
  policy: RetryPolicy;
  sleep: Sleep;
  /** Addresses a host name resolves to (default: the system resolver); injectable for tests. */
  resolve?: (hostname: string) => Promise<string[]>;
}

/** 4 GiB: far above any clip Kie makes, low enough that a hostile endless response cannot fill a disk. */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 4096 * 1024 * 1024;

const EXPIRED = new Set([403, 404, 410]);
const MAX_REDIRECTS = 5;

function failed(message: string, extra: { httpStatus?: number; cause?: unknown } = {}): KieError {
  return new KieError({ kind: 'downloadFailed', message, ...extra });
}

/**
 * Loopback, private (RFC 1918, fc00::/7, carrier-grade NAT), link-local (169.254/16, where cloud
 * metadata services answer, and fe80::/10), unspecified and multicast addresses. A result URL
 * pointing there would make the extension fetch from the user's own network. IPv4-mapped IPv6
 * addresses are matched against the IPv4 ranges.
 */
const NON_PUBLIC = (() => {
  const list = new BlockList();
  for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16], ['224.0.0.0', 3]] as const) {
    list.addSubnet(net, prefix, 'ipv4');
  }
  for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) list.addSubnet(net, prefix, 'ipv6');
  return list;
})();

export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  return family !== 0 && NON_PUBLIC.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

async function systemResolve(hostname: string): Promise<string[]> {
  return (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);
}

/**
 * Refuses a host that is or resolves to a non-public address, except the configured API origin (the
 * simulator on loopback). A name that does not resolve here is left to the connection (behind a proxy
 * the proxy resolves it). The connection resolves the name again, so a DNS answer that changes within
 * this moment is not caught.
 */
export async function checkDownloadHost(url: URL, allowedOrigins: readonly string[], resolve: (hostname: string) => Promise<string[]> = systemResolve): Promise<void> {
  if (allowedOrigins.includes(url.origin)) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host) !== 0) addresses = [host];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      return;
    }
  }
  const local = addresses.find(isNonPublicAddress);
  if (local !== undefined) {
    throw failed(`Refusing to download from ${url.host}: it is a local or private network address (${local}), not a public file server.`);
  }
}

/** Only https, or the configured API origin: a result URL must never make us fetch arbitrary local or plain-http resources. */
export function checkDownloadUrl(url: string, allowedOrigins: readonly string[]): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch (e) {
    throw failed(`The result URL is not a valid URL: ${url.slice(0, 100)}`, { cause: e });
  }
  if (u.protocol === 'https:' || allowedOrigins.includes(u.origin)) return u;
  throw failed(`Refusing to download from ${u.protocol}//${u.host}${redactUrl(u)}: only https URLs (or the configured API address) are allowed.`);
}

/** Progress of one download across attempts, so a retry can resume where the last one stopped. */
interface Progress {
  url: string;
  received: number;
  total?: number;
}

/** A dropped connection or short body: worth another attempt, resuming if the server allows. */
function interrupted(message: string, cause?: unknown): KieError {
  return new KieError({ kind: 'network', message, cause });
}

async function openFollowingRedirects(deps: DownloadDeps, state: Progress, signal?: AbortSignal): Promise<OpenResponse> {
  let url = state.url;
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = { accept: '*/*' };
    if (state.received > 0) headers.range = `bytes=${state.received}-`;
    await checkDownloadHost(new URL(url), deps.allowedOrigins, deps.resolve);
    const res = await deps.http.open({ method: 'GET', url, headers, signal });
    const location = headerValue(res.headers, 'location');
    if (res.status >= 300 && res.status < 400 && location) {
      discard(res.body);
      if (hop >= MAX_REDIRECTS) throw failed(`Too many redirects while downloading ${redactUrl(state.url)}.`);
      url = checkDownloadUrl(new URL(location, url).toString(), deps.allowedOrigins).toString();
      continue;
    }
    return res;
  }
}

/** Drops a response body we will not read; undici reports a plain destroy as an error otherwise. */
function discard(body: OpenResponse['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

function parseContentRange(v: string | undefined): { start: number; total?: number } | undefined {
  const m = v ? /^bytes\s+(\d+)-\d+\/(\d+|\*)$/i.exec(v.trim()) : null;
  if (!m) return undefined;
  return { start: Number(m[1]), total: m[2] === '*' ? undefined : Number(m[2]) };
}

async function attempt(deps: DownloadDeps, state: Progress, partPath: string, opts: DownloadOptions): Promise<void> {
  const res = await openFollowingRedirects(deps, state, opts.signal);
  if (res.status !== 200 && res.status !== 206) {
    discard(res.body);
    if (res.status === 416 && state.received > 0) {
      state.received = 0;
      throw interrupted('The server refused to resume the download; starting over.');
    }
    if (EXPIRED.has(res.status)) throw failed(`The result URL answered HTTP ${res.status}; it has probably expired.`, { httpStatus: res.status });
    if (res.status >= 500 || res.status === 429) throw new KieError({ kind: 'server', message: `The file server answered HTTP ${res.status}.`, httpStatus: res.status });
    throw failed(`The file server answered HTTP ${res.status}.`, { httpStatus: res.status });
  }
  const length = Number(headerValue(res.headers, 'content-length'));
  let append = false;
  if (res.status === 206) {
    const range = parseContentRange(headerValue(res.headers, 'content-range'));
    if (!range || range.start !== state.received) {
      discard(res.body);
      state.received = 0;
      throw interrupted('The server resumed at the wrong offset; starting over.');
    }
    append = true;
    state.total = range.total ?? (Number.isFinite(length) ? state.received + length : undefined);
  } else {
    state.received = 0;
    state.total = Number.isFinite(length) && headerValue(res.headers, 'content-length') !== undefined ? length : undefined;
  }
  if (opts.maxBytes !== undefined && state.total !== undefined && state.total > opts.maxBytes) {
    discard(res.body);
    throw failed(`The video is ${state.total} bytes, more than the ${opts.maxBytes}-byte limit.`);
  }
  const out = createWriteStream(partPath, { flags: append ? 'a' : 'w', highWaterMark: STREAM_CHUNK_BYTES });
  let streamError: unknown;
  try {
    for await (const chunk of res.body) {
      const buf = chunk as Buffer;
      if (opts.maxBytes !== undefined && state.received + buf.length > opts.maxBytes) {
        throw failed(`The video exceeds the ${opts.maxBytes}-byte limit.`);
      }
      state.received += buf.length;
      if (!out.write(buf)) await once(out, 'drain');
      opts.onProgress?.(state.received, state.total);
    }
  } catch (e) {
    streamError = e;
    discard(res.body);
  }
  // Ending (not destroying) the file keeps every byte received before a drop, so the retry can resume.
  out.end();
  try {
    await finished(out);
  } catch (e) {
    throw failed(`Could not write ${partPath}: ${(e as Error).message}`, { cause: e });
  }
  if (streamError !== undefined) {
    if (isKieError(streamError)) throw streamError;
    if (opts.signal?.aborted) throw cancelledError(streamError);
    state.received = await sizeOf(partPath);
    throw interrupted(`The download stopped after ${state.received} bytes${state.total ? ` of ${state.total}` : ''}.`, streamError);
  }
  state.received = await sizeOf(partPath);
  if (state.total !== undefined && state.received !== state.total) {
    throw interrupted(`The download ended after ${state.received} of ${state.total} bytes.`);
  }
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

/**
 * Every MP4 starts with an `ftyp` box: 4 bytes of size, then the type. A file server that answers 200
 * with an HTML error page or JSON must fail the download instead of being saved as the video.
 */
async function checkIsMp4(partPath: string): Promise<void> {
  const head = Buffer.alloc(12);
  const fh = await open(partPath, 'r');
  let n: number;
  try {
    ({ bytesRead: n } = await fh.read(head, 0, head.length, 0));
  } finally {
    await fh.close();
  }
  if (n >= 8 && head.toString('latin1', 4, 8) === 'ftyp') return;
  const start = head.subarray(0, n).toString('latin1').replace(/[^\x20-\x7e]/g, '.');
  throw failed(`The file server did not send an MP4 video (the file starts with "${start}"); nothing was saved.`);
}

/** Part files carry the process id and a random tag, so two windows downloading the same video never touch each other's file. */
const PART_SUFFIX = /^\.(\d+)-[0-9a-f]+\.part$/;

function partPathFor(targetPath: string): string {
  return `${targetPath}.${process.pid}-${randomBytes(4).toString('hex')}.part`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes part files of this target left by processes that are gone (a window that crashed
 * mid-download), and the single `<target>.part` earlier versions used.
 */
async function removeAbandonedParts(targetPath: string): Promise<void> {
  const dir = path.dirname(targetPath);
  const prefix = `${path.basename(targetPath)}.`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = name.startsWith(prefix) ? PART_SUFFIX.exec(name.slice(prefix.length - 1)) : null;
    if ((m && !processAlive(Number(m[1]))) || name === `${prefix}part`) await rm(path.join(dir, name), { force: true });
  }
}

function retryable(e: KieError): boolean {
  return e.kind === 'network' || e.kind === 'timeout' || e.kind === 'server' || e.kind === 'badResponse';
}

/**
 * Streams `url` into a part file of its own (`<target>.<pid>-<tag>.part`) and renames it into place
 * once complete and checked to be an MP4, so a half-written or wrong file never carries the real name,
 * and two windows that both download the same video each end with a whole file in place. Interrupted
 * transfers are retried (resumed with Range when the server supports it); an expired link is
 * refreshed once. Hosts on local or private addresses are refused. On failure nothing is left behind.
 */
export async function downloadFile(deps: DownloadDeps, url: string, targetPath: string, opts: DownloadOptions = {}): Promise<{ path: string; bytes: number }> {
  const partPath = partPathFor(targetPath);
  const limits: DownloadOptions = { ...opts, maxBytes: opts.maxBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES };
  const state: Progress = { url: checkDownloadUrl(url, deps.allowedOrigins).toString(), received: 0 };
  let refreshed = false;
  await removeAbandonedParts(targetPath);
  try {
    for (let n = 1; ; n++) {
      try {
        if (opts.signal?.aborted) throw cancelledError(opts.signal.reason);
        await attempt(deps, state, partPath, limits);
        if (opts.signal?.aborted) throw cancelledError(opts.signal.reason);
        await checkIsMp4(partPath);
        await rename(partPath, targetPath);
        return { path: targetPath, bytes: state.received };
      } catch (raw) {
        const e = isKieError(raw) ? raw : transportError(raw, { url: state.url, signal: opts.signal }, 0, false);
        if (e.kind === 'cancelled' || opts.signal?.aborted) throw e.kind === 'cancelled' ? e : cancelledError(e);
        if (e.kind === 'downloadFailed' && e.httpStatus !== undefined && EXPIRED.has(e.httpStatus) && deps.refresh && !refreshed) {
          refreshed = true;
          state.url = checkDownloadUrl(await deps.refresh(url, opts.signal), deps.allowedOrigins).toString();
          state.received = 0;
          continue;
        }
        if (!retryable(e)) throw e;
        if (n >= deps.policy.maxAttempts) {
          throw failed(`The download failed after ${n} attempts: ${e.message}`, { httpStatus: e.httpStatus, cause: e });
        }
        await deps.sleep(backoffDelay(n, deps.policy, e.retryAfterMs), opts.signal);
      }
    }
  } catch (e) {
    await rm(partPath, { force: true });
    throw e;
  }
}

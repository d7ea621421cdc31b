import { createWriteStream } from 'node:fs';
import * as http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { request } from 'undici';
import { RssSampler } from '../lib/rssSampler';
import type { WorkerResult } from './clientWorker';
import { runWorkerMain } from '../lib/workerMain';

/**
 * Control downloads without any of our code: Node's own http module, or undici's `request` (default or
 * 1 MiB buffers), piped to a file. They tell what share of the download figures belongs to Node/undici and what to our downloader.
 */
async function main(): Promise<void> {
  const [mode, url, target] = process.argv.slice(2);
  const gc = (globalThis as { gc?: () => void }).gc;
  // Same warm-up as the real worker: load the stack and make one small request first.
  const range = { range: 'bytes=0-1023' };
  if (mode.startsWith('undici')) await (await request(url, { headers: range })).body.dump();
  else await new Promise<void>((resolve, reject) => http.get(url, { headers: range }, (res) => res.resume().on('end', resolve)).on('error', reject));
  gc?.();
  const sampler = new RssSampler(10);
  const t0 = performance.now();
  if (mode === 'undici') {
    const res = await request(url);
    await pipeline(res.body, createWriteStream(target));
  } else if (mode === 'undici-1MiB') {
    // Larger buffers on both ends: fewer, bigger writes to the file (what src/core/download.ts could do).
    const res = await request(url, { highWaterMark: 1 << 20 });
    await pipeline(res.body, createWriteStream(target, { highWaterMark: 1 << 20 }));
  } else {
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => http.get(url, resolve).on('error', reject));
    await pipeline(res, createWriteStream(target));
  }
  const seconds = (performance.now() - t0) / 1000;
  const peakRssGrowth = sampler.stop();
  const { statSync } = await import('node:fs');
  const result: WorkerResult = { bytes: statSync(target).size, seconds, baselineRss: sampler.baseline, peakRssGrowth, peakArrayBuffersGrowth: sampler.arrayBuffersGrowth };
  console.log(JSON.stringify(result));
}

runWorkerMain(main);

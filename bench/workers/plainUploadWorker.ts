import { createReadStream, statSync } from 'node:fs';
import { request } from 'undici';
import { RssSampler } from '../lib/rssSampler';
import type { WorkerResult } from './clientWorker';
import { runWorkerMain } from '../lib/workerMain';

/**
 * Control upload without any of our code: undici POSTs the file as a plain stream (no multipart). What
 * the upload figure would be if our multipart layer added nothing.
 */
async function main(): Promise<void> {
  const [url, file] = process.argv.slice(2);
  const bytes = statSync(file).size;
  await (await request(url, { method: 'POST', body: 'warm-up' })).body.dump();
  (globalThis as { gc?: () => void }).gc?.();
  const sampler = new RssSampler(10);
  const t0 = performance.now();
  const res = await request(url, { method: 'POST', body: createReadStream(file), headers: { 'content-length': String(bytes) } });
  await res.body.dump();
  const seconds = (performance.now() - t0) / 1000;
  const peakRssGrowth = sampler.stop();
  const result: WorkerResult = { bytes, seconds, baselineRss: sampler.baseline, peakRssGrowth, peakArrayBuffersGrowth: sampler.arrayBuffersGrowth };
  console.log(JSON.stringify(result));
}

runWorkerMain(main);

import { statSync } from 'node:fs';
import { KieClient, type KieClientOptions } from '../../src/core/kie/kieClient';
import { RssSampler } from '../lib/rssSampler';
import { runWorkerMain } from '../lib/workerMain';

/**
 * Runs one download or one image upload through the real KieClient in a process of its own, sampling
 * RSS every 10 ms, and prints the result as JSON. The simulator lives in the parent, so its buffers are
 * never counted here.
 */
export interface WorkerJob extends Pick<KieClientOptions, 'apiBaseUrl' | 'uploadBaseUrl' | 'imgbbBaseUrl' | 'apiKey' | 'imgbbKey' | 'imageHost'> {
  op: 'download' | 'upload';
  /** download: the result URL; upload: the image file. */
  source: string;
  /** download: where the video goes. */
  target?: string;
  /** upload: a small image uploaded first, so lazily loaded code is not counted as growth. */
  warmupImage?: string;
  /**
   * Diagnostic: force a full GC this often while measuring. The growth that remains is memory really
   * held; the difference to a normal run is garbage V8 had not collected yet.
   */
  gcEveryMs?: number;
}

export interface WorkerResult {
  bytes: number;
  seconds: number;
  baselineRss: number;
  peakRssGrowth: number;
  peakArrayBuffersGrowth?: number;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '') as WorkerJob;
  const client = new KieClient({
    apiBaseUrl: job.apiBaseUrl,
    uploadBaseUrl: job.uploadBaseUrl,
    imgbbBaseUrl: job.imgbbBaseUrl,
    apiKey: job.apiKey,
    imgbbKey: job.imgbbKey,
    imageHost: job.imageHost,
  });
  // Warm up: load the HTTP stack and open the connection before the baseline is taken.
  await client.getCredits();
  if (job.op === 'upload' && job.warmupImage) await client.uploadImage(job.warmupImage);
  const imageBytes = job.op === 'upload' ? statSync(job.source).size : 0;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const sampler = new RssSampler(10);
  const collector = job.gcEveryMs && gc ? setInterval(gc, job.gcEveryMs) : undefined;
  const t0 = performance.now();
  let bytes: number;
  if (job.op === 'download') {
    if (!job.target) throw new Error('download needs a target');
    bytes = (await client.download(job.source, job.target)).bytes;
  } else {
    await client.uploadImage(job.source);
    bytes = imageBytes;
  }
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(collector);
  const peakRssGrowth = sampler.stop();
  await client.close();
  const result: WorkerResult = { bytes, seconds, baselineRss: sampler.baseline, peakRssGrowth, peakArrayBuffersGrowth: sampler.arrayBuffersGrowth };
  console.log(JSON.stringify(result));
}

runWorkerMain(main);

import { statSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { KieClient, type KieClientOptions } from '../../src/core/kie/kieClient';
import type { HttpClient } from '../../src/core/kie/http';
import { uploadToKie } from '../../src/core/kie/upload/kieUpload';
import { RssSampler } from '../lib/rssSampler';
import { runWorkerMain } from '../lib/workerMain';

/**
 * Runs one download or one image upload through the real KieClient in a process of its own (the
 * simulator lives in the parent, so its buffers and CPU are never counted here) and reports what the
 * extension host would feel: event-loop delay (perf_hooks.monitorEventLoopDelay), CPU time and RSS.
 */
export interface WorkerJob extends Pick<KieClientOptions, 'apiBaseUrl' | 'uploadBaseUrl' | 'imgbbBaseUrl' | 'apiKey'> {
  /** `uploadUnchecked`: the product's Kie upload transport without the 10 MB image check (bench only). */
  op: 'download' | 'upload' | 'uploadUnchecked';
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
  /** user + system CPU seconds of this process during the transfer. */
  cpuSeconds: number;
  eldP99Ms: number;
  eldMaxMs: number;
  eldMeanMs: number;
  /** Peak growth of memory in ArrayBuffers (Buffers), live or not yet collected. */
  peakArrayBuffersGrowth: number;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '') as WorkerJob;
  const client = new KieClient({ apiBaseUrl: job.apiBaseUrl, uploadBaseUrl: job.uploadBaseUrl, imgbbBaseUrl: job.imgbbBaseUrl, apiKey: job.apiKey });
  // Warm up: load the HTTP stack and open the connection before the baseline is taken.
  await client.getCredits();
  if (job.op !== 'download' && job.warmupImage) await client.uploadImage(job.warmupImage);
  const imageBytes = job.op !== 'download' ? statSync(job.source).size : 0;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const eld = monitorEventLoopDelay({ resolution: 1 });
  const sampler = new RssSampler(10);
  eld.enable();
  const collector = job.gcEveryMs && gc ? setInterval(gc, job.gcEveryMs) : undefined;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let bytes: number;
  if (job.op === 'download') {
    if (!job.target) throw new Error('download needs a target');
    bytes = (await client.download(job.source, job.target)).bytes;
  } else if (job.op === 'upload') {
    await client.uploadImage(job.source);
    bytes = imageBytes;
  } else {
    // The product refuses images over 10 MB before sending; to see whether upload memory depends on size,
    // the same streaming transport the client uses is called directly with a larger file.
    const http = (client as unknown as { http: HttpClient }).http;
    await uploadToKie(http, job.uploadBaseUrl, job.apiKey ?? '', { filePath: job.source, bytes: imageBytes, mime: 'image/png' });
    bytes = imageBytes;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(collector);
  eld.disable();
  const peakRssGrowth = sampler.stop();
  await client.close();
  const result: WorkerResult = {
    bytes,
    seconds,
    baselineRss: sampler.baseline,
    peakRssGrowth,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    eldP99Ms: eld.percentile(99) / 1e6,
    eldMaxMs: eld.max / 1e6,
    eldMeanMs: eld.mean / 1e6,
    peakArrayBuffersGrowth: sampler.arrayBuffersGrowth,
  };
  console.log(JSON.stringify(result));
}

runWorkerMain(main);

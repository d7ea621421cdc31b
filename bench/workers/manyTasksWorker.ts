import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { KieClient } from '../../src/core/kieClient';
import { TaskLedger } from '../../src/core/ledger';
import { TaskService } from '../../src/core/taskService';
import type { RequestLogEntry } from '../../src/core/types';
import { RssSampler } from '../lib/rssSampler';

/**
 * The "extension host" of the many-tasks benchmark: the real TaskService + KieClient + ledger, in a
 * process of its own so the simulator's work does not show in its event-loop delay or memory.
 */
export interface ManyTasksJob {
  apiBaseUrl: string;
  uploadBaseUrl: string;
  imgbbBaseUrl: string;
  apiKey: string;
  tasks: number;
  dir: string;
}

export interface ManyTasksResult {
  completed: number;
  failed: number;
  seconds: number;
  submitSeconds: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  /** Retained after every task was submitted and a GC. */
  heapDeltaAllLive: number;
  rssDeltaAllLive: number;
  peakRssGrowth: number;
  http429: number;
  schedulerStats: { requests: number; rateLimited: number; errors: number };
  errors: string[];
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '') as ManyTasksJob;
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  let http429 = 0;
  const errors: string[] = [];
  const logger = (e: RequestLogEntry) => {
    if (e.status === 429 || e.code === 429) http429++;
  };
  const client = new KieClient({ apiBaseUrl: job.apiBaseUrl, uploadBaseUrl: job.uploadBaseUrl, imgbbBaseUrl: job.imgbbBaseUrl, apiKey: job.apiKey, logger });
  const ledger = await TaskLedger.open(path.join(job.dir, 'tasks.json'));
  const service = new TaskService({ ledger, client: () => client, ownerId: 'bench' });
  await client.getCredits();
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const sampler = new RssSampler(10);
  const eld = monitorEventLoopDelay({ resolution: 10 });
  eld.enable();

  let completed = 0;
  let failed = 0;
  let resolveDone: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (resolveDone = resolve));
  service.onEvent((e) => {
    if (e.type === 'completed') completed++;
    if (e.type === 'failed') {
      failed++;
      errors.push(e.task.error?.message ?? 'failed');
    }
    if (completed + failed >= job.tasks) resolveDone();
  });

  const t0 = performance.now();
  const submits = await Promise.allSettled(
    Array.from({ length: job.tasks }, (_, i) =>
      service.submit({
        request: { model: 'sora-2-text-to-video', prompt: `benchmark task ${i}`, aspectRatio: 'landscape', duration: '10', removeWatermark: true },
        outputDir: path.join(job.dir, 'videos'),
      }),
    ),
  );
  const submitSeconds = (performance.now() - t0) / 1000;
  for (const s of submits) {
    if (s.status === 'rejected') {
      failed++;
      errors.push(`submit: ${s.reason instanceof Error ? s.reason.message : String(s.reason)}`);
    }
  }
  if (completed + failed >= job.tasks) resolveDone();
  gc();
  const heapDeltaAllLive = process.memoryUsage().heapUsed - heap0;
  const rssDeltaAllLive = process.memoryUsage.rss() - sampler.baseline;

  await allDone;
  const seconds = (performance.now() - t0) / 1000;
  eld.disable();
  const peakRssGrowth = sampler.stop();
  const result: ManyTasksResult = {
    completed,
    failed,
    seconds,
    submitSeconds,
    eventLoopP99Ms: eld.percentile(99) / 1e6,
    eventLoopMaxMs: eld.max / 1e6,
    heapDeltaAllLive,
    rssDeltaAllLive,
    peakRssGrowth,
    http429,
    schedulerStats: service.requestStats,
    errors: [...new Set(errors)].slice(0, 5),
  };
  service.dispose();
  await client.close();
  console.log(JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { KieClient } from '../../src/core/kie/kieClient';
import { TaskLedger } from '../../src/core/tasks/ledger';
import { TaskService } from '../../src/core/tasks/taskService';
import { BENCH_MODEL } from '../lib/simTask';
import type { RequestLogEntry } from '../../src/core/types';
import { CpuProfile } from '../lib/cpuProfile';
import { RssSampler } from '../lib/rssSampler';
import { runWorkerMain } from '../lib/workerMain';

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
  /** Profile the run (slows it; for attribution only, never for the reported figures). */
  profile?: boolean;
}

export interface ManyTasksResult {
  completed: number;
  failed: number;
  /** Submits that threw (the task never started polling). */
  rejectedSubmits: number;
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
  /** With `profile`: project functions by inclusive CPU time. */
  hotspots?: string[];
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

  // A submit that fails also emits `failed` for its record: count each task once, by how it ended.
  const ended = new Map<string, 'completed' | 'failed'>();
  const accepted = new Set<string>();
  let rejected = 0;
  let submitsSettled = false;
  let resolveDone: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (resolveDone = resolve));
  const checkDone = () => {
    if (submitsSettled && [...accepted].every((id) => ended.has(id))) resolveDone();
  };
  service.onEvent((e) => {
    if (e.type !== 'completed' && e.type !== 'failed') return;
    ended.set(e.task.id, e.type);
    if (e.type === 'failed') errors.push(e.task.error?.message ?? 'failed');
    checkDone();
  });

  const profiler = job.profile ? new CpuProfile() : undefined;
  await profiler?.start();
  const t0 = performance.now();
  const submits = await Promise.allSettled(
    Array.from({ length: job.tasks }, (_, i) =>
      service.submit({
        request: { model: BENCH_MODEL, prompt: `benchmark task ${i}` },
        outputDir: path.join(job.dir, 'videos'),
      }),
    ),
  );
  const submitSeconds = (performance.now() - t0) / 1000;
  for (const s of submits) {
    if (s.status === 'fulfilled') accepted.add(s.value.id);
    else {
      rejected++;
      errors.push(`submit: ${s.reason instanceof Error ? s.reason.message : String(s.reason)}`);
    }
  }
  submitsSettled = true;
  checkDone();
  gc();
  const heapDeltaAllLive = process.memoryUsage().heapUsed - heap0;
  const rssDeltaAllLive = process.memoryUsage.rss() - sampler.baseline;

  await allDone;
  const seconds = (performance.now() - t0) / 1000;
  eld.disable();
  const hotspots = await profiler?.stop();
  const peakRssGrowth = sampler.stop();
  const completed = [...accepted].filter((id) => ended.get(id) === 'completed').length;
  const result: ManyTasksResult = {
    completed,
    failed: job.tasks - completed,
    rejectedSubmits: rejected,
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
    ...(hotspots ? { hotspots } : {}),
  };
  service.dispose();
  await client.close();
  console.log(JSON.stringify(result));
}

runWorkerMain(main);

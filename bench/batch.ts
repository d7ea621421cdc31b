import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KieClient } from '../src/core/kie/kieClient';
import { JOBS_CREATE_PATH } from '../src/core/kie/jobsApi';
import { TaskLedger } from '../src/core/tasks/ledger';
import { TaskService } from '../src/core/tasks/taskService';
import { startSimulator } from '../src/simulator/server';
import { atMost, row, type FigureResult } from './lib/figure';
import { BENCH_MODEL } from './lib/simTask';
import { runStandalone } from './lib/standalone';

const TITLE = '3. Batch of 50 prompt files';
const FILES = 50;
const LIMIT = 20;
const WINDOW_S = 10;
/** Queries per second the simulator allows on reads while the creation limit is on (setRateLimit). */
const QUERY_LIMIT = 20;

/**
 * The fastest a sliding window of LIMIT creations per WINDOW_S can take N creations, from the first to
 * the last: the k-th creation (0-based) can go at floor(k / LIMIT) windows.
 */
export function minimumSeconds(n: number): number {
  return Math.floor((n - 1) / LIMIT) * WINDOW_S;
}

export async function measureBatch(): Promise<FigureResult> {
  const sim = await startSimulator({ defaultDurationMs: 2000, credits: 10_000_000 });
  sim.setRateLimit(QUERY_LIMIT);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sora-bench-batch-'));
  const client = new KieClient({ apiBaseUrl: sim.url, uploadBaseUrl: sim.uploadUrl, imgbbBaseUrl: sim.imgbbUrl, apiKey: sim.apiKey });
  const ledger = await TaskLedger.open(path.join(dir, 'tasks.json'));
  const service = new TaskService({ ledger, client: () => client, ownerId: 'bench-batch' });
  try {
    await client.getCredits();
    const t0 = Date.now();
    const results = await Promise.allSettled(
      Array.from({ length: FILES }, (_, i) =>
        service.submit({ request: { model: BENCH_MODEL, prompt: `prompt file ${i}` }, outputDir: path.join(dir, 'videos'), outputName: `clip-${i}` }),
      ),
    );
    const creates = sim.requests.filter((r) => r.path === JOBS_CREATE_PATH);
    const accepted = creates.filter((r) => r.status === 200);
    const refused = creates.filter((r) => r.status === 429).length;
    const failed = results.filter((r) => r.status === 'rejected');
    const lastAt = Math.max(...accepted.map((r) => r.at));
    const seconds = (lastAt - t0) / 1000;
    const minimum = minimumSeconds(FILES);
    const reasons = [...new Set(failed.map((f) => String((f as PromiseRejectedResult).reason?.message ?? f).slice(0, 160)))];
    return {
      title: TITLE,
      rows: [
        row('confirmation → last createTask accepted', `${seconds.toFixed(2)} s (minimum ${minimum.toFixed(1)} s: ${(seconds / minimum).toFixed(2)}×)`, atMost(seconds, minimum * 1.1, `≤ ${(minimum * 1.1).toFixed(0)} s (min + 10 %)`)),
        row('createTask answered 429', String(refused), atMost(refused, 0, '0')),
        row('tasks created / submits that failed', `${accepted.length} / ${failed.length}`, atMost(FILES - accepted.length, 0, `all ${FILES}`)),
      ],
      notes: [
        `The prompt-file code (src/core/prompts/, its batch runner) is on branch \`promptfiles\`, not on main yet, so this measures what that runner calls: \`TaskService.submit\` × ${FILES} issued at once (one outputName each), against the simulator with \`setRateLimit(${QUERY_LIMIT})\` (${QUERY_LIMIT} reads/s per key and Kie's ${LIMIT} creations per ${WINDOW_S} s). Re-run once promptfiles is merged to time its runner (it submits 4 at a time and relies on the task service for pacing).`,
        `The minimum: a sliding ${WINDOW_S} s window of ${LIMIT} creations lets creation k (0-based) go at ⌊k/${LIMIT}⌋ × ${WINDOW_S} s at the earliest, so ${FILES} creations need ${minimum} s from the first to the last (${LIMIT} at 0 s, ${LIMIT} at ${WINDOW_S} s, ${FILES - 2 * LIMIT} at ${2 * WINDOW_S} s). Times are the simulator's arrival times of accepted createTask requests, from the moment the ${FILES} submits were issued.`,
        ...(refused > 0
          ? [`Why 429s: on main nothing paces creations to Kie's limit; each submit sends at once, the 21st and later are refused with Retry-After and retried by KieClient's retry policy, so ${refused} refusals were answered before all ${accepted.length} were accepted. A creation limiter in the task service (the promptfiles branch says it holds each submission until a creation fits) would send none.`]
          : []),
        ...(reasons.length ? [`Submit failures: ${reasons.join(' | ')}`] : []),
      ],
    };
  } finally {
    service.dispose?.();
    await client.close();
    await sim.close();
    // Finished tasks may still be writing their videos; the scratch folder goes when they are done.
    await new Promise((resolve) => setTimeout(resolve, 500));
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}

runStandalone(module, measureBatch);

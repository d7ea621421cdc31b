import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KieClient } from '../src/core/kie/kieClient';
import { JOBS_CREATE_PATH } from '../src/core/kie/jobsApi';
import { planBatch } from '../src/core/prompts/batchPlan';
import { runBatch } from '../src/core/prompts/batchRunner';
import { modelLookup } from '../src/core/prompts/modelLookup';
import { promptOutputPlace } from '../src/core/prompts/outputPlace';
import { LOCK_FILE_NAME, PromptLock } from '../src/core/prompts/promptLock';
import { taskServiceSubmitter } from '../src/core/prompts/taskServiceSubmitter';
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

/**
 * What "Generate All Prompt Files in Folder" does after its one confirmation, on 50 files: the plan
 * (read, parse, check, hash against the lock), then the batch runner sending them through the task
 * service, which paces creations to Kie's limit. Timed from the confirmation, so from runBatch's start.
 */
export async function measureBatch(): Promise<FigureResult> {
  const sim = await startSimulator({ defaultDurationMs: 2000, credits: 10_000_000 });
  sim.setRateLimit(QUERY_LIMIT);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sora-bench-batch-'));
  const client = new KieClient({ apiBaseUrl: sim.url, uploadBaseUrl: sim.uploadUrl, imgbbBaseUrl: sim.imgbbUrl, apiKey: sim.apiKey });
  const ledger = await TaskLedger.open(path.join(dir, 'state', 'tasks.json'));
  const service = new TaskService({ ledger, client: () => client, ownerId: 'bench-batch' });
  try {
    const files = Array.from({ length: FILES }, (_, i) => ({
      file: path.join(dir, 'shots', `shot${String(i).padStart(2, '0')}.video.md`),
      text: `---\nmodel: ${BENCH_MODEL}\n---\n\nPrompt file ${i}: a lighthouse at dusk.\n`,
    }));
    for (const f of files) {
      fs.mkdirSync(path.dirname(f.file), { recursive: true });
      fs.writeFileSync(f.file, f.text);
    }
    const lock = await PromptLock.open(path.join(dir, LOCK_FILE_NAME));
    const plan = await planBatch({
      files,
      lockEntry: (f) => lock.get(f),
      tasks: ledger.all(),
      models: modelLookup(),
      exists: async (p) => fs.existsSync(p),
      lockPath: (_f, rel) => lock.absolute(rel),
    });
    await client.getCredits();
    const t0 = Date.now();
    const result = await runBatch({ entries: plan.toSend, submitter: taskServiceSubmitter(service), lockFor: async () => lock, outputFor: (f) => promptOutputPlace(f, dir, 'videos') });
    const creates = sim.requests.filter((r) => r.path === JOBS_CREATE_PATH);
    const accepted = creates.filter((r) => r.status === 200);
    const refused = creates.filter((r) => r.status === 429).length;
    const lastAt = Math.max(...accepted.map((r) => r.at));
    const seconds = (lastAt - t0) / 1000;
    const minimum = minimumSeconds(FILES);
    const reasons = [...new Set(result.failed.map((f) => String(f.error instanceof Error ? f.error.message : f.error).slice(0, 160)))];
    const locked = lock.entries().length;
    return {
      title: TITLE,
      rows: [
        row('confirmation → last createTask accepted', `${seconds.toFixed(2)} s (minimum ${minimum.toFixed(1)} s: ${(seconds / minimum).toFixed(2)}×)`, atMost(seconds, minimum * 1.1, `≤ ${(minimum * 1.1).toFixed(0)} s (min + 10 %)`)),
        row('createTask answered 429', String(refused), atMost(refused, 0, '0')),
        row('files planned / submitted / failed', `${plan.toSend.length} / ${result.submitted.length} / ${result.failed.length}`, atMost(FILES - result.submitted.length, 0, `all ${FILES}`)),
        row('lock entries written by the time the last creation was accepted', `${locked} of ${FILES}`),
      ],
      notes: [
        `${FILES} prompt files (\`${BENCH_MODEL}\`) on disk, planned with planBatch and sent with runBatch through the real TaskService and KieClient (the path the folder command takes after its confirmation), against the simulator with \`setRateLimit(${QUERY_LIMIT})\` (${QUERY_LIMIT} reads/s per key and Kie's ${LIMIT} creations per ${WINDOW_S} s).`,
        `The minimum: a sliding ${WINDOW_S} s window of ${LIMIT} creations lets creation k (0-based) go at ⌊k/${LIMIT}⌋ × ${WINDOW_S} s at the earliest, so ${FILES} creations need ${minimum} s from the first to the last (${LIMIT} at 0 s, ${LIMIT} at ${WINDOW_S} s, ${FILES - 2 * LIMIT} at ${2 * WINDOW_S} s). Times are the simulator's arrival times of accepted createTask requests, from runBatch's start.`,
        ...(reasons.length ? [`Submit failures: ${reasons.join(' | ')}`] : []),
      ],
    };
  } finally {
    service.dispose?.();
    await service.idle();
    await client.close();
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}

runStandalone(module, measureBatch);

import * as fs from 'node:fs';
import { LEDGER_VERSION } from '../../src/core/tasks/ledger';
import type { TaskRecord } from '../../src/core/tasks/task';
import { BENCH_MODEL } from './simTask';

/**
 * A ledger file as a long-time user's global storage holds it: `finished` completed tasks and
 * `unfinished` still generating, in the TaskLedger's own file format.
 */
export function writeSeedLedger(file: string, finished: number, unfinished: number, outputDir: string): number {
  const now = Date.now();
  const tasks: TaskRecord[] = [];
  for (let i = 0; i < finished + unfinished; i++) {
    const done = i < finished;
    const createdAt = now - (finished + unfinished - i) * 60_000;
    tasks.push({
      id: `bench-${i.toString().padStart(4, '0')}`,
      taskId: `bench-kie-${i}`,
      model: BENCH_MODEL,
      family: 'jobs',
      request: { model: BENCH_MODEL, prompt: `A benchmark clip number ${i}: a lighthouse at dusk, waves, slow dolly in` },
      sent: { model: BENCH_MODEL, input: { prompt: `A benchmark clip number ${i}: a lighthouse at dusk, waves, slow dolly in` } },
      outputDir,
      createdAt,
      updatedAt: createdAt + 90_000,
      state: done ? 'completed' : 'generating',
      history: done
        ? [
            { state: 'queued', at: createdAt },
            { state: 'generating', at: createdAt + 5_000, note: 'generating' },
            { state: 'succeeded', at: createdAt + 80_000, note: 'success' },
            { state: 'downloading', at: createdAt + 80_100 },
            { state: 'completed', at: createdAt + 90_000 },
          ]
        : [
            { state: 'queued', at: createdAt },
            { state: 'generating', at: createdAt + 5_000, note: 'generating' },
          ],
      ...(done ? { resultUrls: [`https://tempfile.example/${i}.mp4`], localFile: `${outputDir}/clip-${i}.mp4`, costTimeMs: 80_000, creditsConsumed: 60 } : {}),
      origin: { kind: 'form' },
    } as TaskRecord);
  }
  const text = JSON.stringify({ version: LEDGER_VERSION, tasks, removed: {}, durations: {} }, null, 1);
  fs.writeFileSync(file, text);
  return text.length;
}

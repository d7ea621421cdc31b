import type { KieClient } from '../../src/core/kie/kieClient';
import { findBundled } from '../../src/core/models/bundledSpecs';
import { buildRequest } from '../../src/core/models/requestBuilder';

/** A jobs-API model the simulator serves (Sora answers "paused" like Kie). */
export const BENCH_MODEL = 'wan/2-7-text-to-video';

/** Creates one task on the simulator and waits (real time, the simulator is fast) for its result URL. */
export async function finishedResultUrl(client: KieClient, timeoutMs = 30_000): Promise<string> {
  const taskId = await client.createTask('jobs', buildRequest(findBundled(BENCH_MODEL)!, { prompt: 'benchmark clip' }));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const snap = await client.getTask('jobs', taskId);
    if (snap.status === 'success' && snap.resultUrls[0]) return snap.resultUrls[0];
    if (snap.status === 'failed') throw new Error(`simulator task failed: ${snap.failMsg ?? snap.rawState}`);
    if (Date.now() > deadline) throw new Error('simulator task did not finish');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

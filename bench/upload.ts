import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_IMAGE_BYTES } from '../src/core/validation';
import { startSimulator } from '../src/core/simulator/server';
import { runWorker } from './lib/child';
import { below, mb, row, type FigureResult } from './lib/figure';
import { benchOut } from './lib/paths';
import { writePngLike } from './lib/pngFile';
import { median } from './lib/stats';
import { runStandalone } from './lib/standalone';
import type { WorkerJob, WorkerResult } from './workers/clientWorker';

const TITLE = '4. Upload of a 10 MB image';
const REPS = 3;
const RSS_LIMIT = 16 * 1024 * 1024;
const HOSTS = ['kie', 'imgbb'] as const;

export async function measureUpload(): Promise<FigureResult> {
  const sim = await startSimulator({ imgbbKey: 'sim-imgbb-key' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sora-bench-up-'));
  try {
    const image = path.join(dir, 'large.png');
    const warmup = path.join(dir, 'small.png');
    writePngLike(image, MAX_IMAGE_BYTES);
    writePngLike(warmup, 4096);
    const results: Record<(typeof HOSTS)[number], WorkerResult[]> = { kie: [], imgbb: [] };
    for (let i = 0; i < REPS; i++) {
      for (const host of i % 2 === 0 ? HOSTS : [...HOSTS].reverse()) {
        const job: WorkerJob = {
          op: 'upload',
          apiBaseUrl: sim.url,
          uploadBaseUrl: sim.uploadUrl,
          imgbbBaseUrl: sim.imgbbUrl,
          apiKey: sim.apiKey,
          imgbbKey: 'sim-imgbb-key',
          imageHost: host,
          source: image,
          warmupImage: warmup,
        };
        results[host].push(await runWorker<WorkerResult>(path.join(benchOut, 'workers', 'clientWorker.js'), [JSON.stringify(job)], ['--expose-gc']));
      }
    }
    const rows = HOSTS.flatMap((host) => {
      const growth = median(results[host].map((r) => r.peakRssGrowth));
      const secs = median(results[host].map((r) => r.seconds));
      return [
        row(`${host}: peak RSS growth (median of ${REPS})`, mb(growth), below(growth, RSS_LIMIT, '< 16 MB')),
        row(`${host}: upload time (median)`, `${(secs * 1000).toFixed(0)} ms`),
      ];
    });
    return {
      title: TITLE,
      rows,
      notes: [
        `A ${mb(MAX_IMAGE_BYTES)} file (PNG signature + IHDR, then random bytes) uploaded with \`KieClient.uploadImage\` to the simulator's Kie stream upload and imgbb endpoints, ${REPS} repetitions each, alternating order, each in a fresh child process.`,
        'Baseline RSS is taken after a warm-up `getCredits()` and a warm-up upload of a 4 KB image through the same host (so lazily loaded code is not counted) and a forced GC; sampled every 10 ms.',
        `Per-rep growth kie: ${results.kie.map((r) => mb(r.peakRssGrowth)).join(', ')}; imgbb: ${results.imgbb.map((r) => mb(r.peakRssGrowth)).join(', ')}.`,
      ],
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await sim.close();
  }
}

runStandalone(module, measureUpload);

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KieClient } from '../src/core/kieClient';
import { startSimulator } from '../src/core/simulator/server';
import { runCommand, runWorker } from './lib/child';
import { atLeast, below, mb, row, type FigureResult } from './lib/figure';
import { benchOut } from './lib/paths';
import { finishedResultUrl } from './lib/simTask';
import { median } from './lib/stats';
import { runStandalone } from './lib/standalone';
import type { WorkerJob, WorkerResult } from './workers/clientWorker';

const TITLE = '3. Download of a large result';
const SIZE = 300 * 1024 * 1024;
const REPS = 3;
const RSS_LIMIT = 32 * 1024 * 1024;

/** tmpfs when there is one, so disk write speed (shared by both contenders, and noisy) does not dominate. */
function scratchDir(): string {
  const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  return fs.mkdtempSync(path.join(base, 'sora-bench-dl-'));
}

async function curlDownload(url: string, target: string): Promise<{ bytes: number; seconds: number }> {
  const res = await runCommand('curl', ['-s', '-S', '-f', '-o', target, '-w', '%{size_download} %{time_total}', url]);
  if (res.code !== 0) throw new Error(`curl failed (${res.code}): ${res.stderr}`);
  const [bytes, seconds] = res.stdout.trim().split(/\s+/).map(Number);
  return { bytes, seconds };
}

export async function measureDownload(): Promise<FigureResult> {
  const sim = await startSimulator({ largeVideoBytes: SIZE, defaultDurationMs: 50 });
  const dir = scratchDir();
  try {
    const setup = new KieClient({ apiBaseUrl: sim.url, uploadBaseUrl: sim.uploadUrl, imgbbBaseUrl: sim.imgbbUrl, apiKey: sim.apiKey });
    const url = await finishedResultUrl(setup);
    await setup.close();
    const job: WorkerJob = { op: 'download', apiBaseUrl: sim.url, uploadBaseUrl: sim.uploadUrl, imgbbBaseUrl: sim.imgbbUrl, apiKey: sim.apiKey, source: url };
    const ours: WorkerResult[] = [];
    const curl: Array<{ bytes: number; seconds: number }> = [];
    const runOurs = async (i: number) => {
      const target = path.join(dir, `ours-${i}.mp4`);
      const r = await runWorker<WorkerResult>(path.join(benchOut, 'workers', 'clientWorker.js'), [JSON.stringify({ ...job, target })], ['--expose-gc']);
      if (r.bytes !== SIZE || fs.statSync(target).size !== SIZE) throw new Error(`our download got ${r.bytes} bytes, expected ${SIZE}`);
      fs.rmSync(target);
      ours.push(r);
    };
    const runCurl = async (i: number) => {
      const target = path.join(dir, `curl-${i}.mp4`);
      const r = await curlDownload(url, target);
      if (r.bytes !== SIZE) throw new Error(`curl got ${r.bytes} bytes, expected ${SIZE}`);
      fs.rmSync(target);
      curl.push(r);
    };
    for (let i = 0; i < REPS; i++) {
      // Alternate who goes first, so a warming cache or a noisy neighbour favours neither.
      if (i % 2 === 0) {
        await runOurs(i);
        await runCurl(i);
      } else {
        await runCurl(i);
        await runOurs(i);
      }
    }
    const oursMBps = ours.map((r) => r.bytes / r.seconds / 2 ** 20);
    const curlMBps = curl.map((r) => r.bytes / r.seconds / 2 ** 20);
    const ratios = oursMBps.map((v, i) => v / curlMBps[i]);
    const ratio = median(ratios);
    const rss = median(ours.map((r) => r.peakRssGrowth));
    const maxRss = Math.max(...ours.map((r) => r.peakRssGrowth));
    return {
      title: TITLE,
      rows: [
        row('KieClient.download throughput (median)', `${median(oursMBps).toFixed(0)} MB/s`),
        row('curl -s -o throughput (median)', `${median(curlMBps).toFixed(0)} MB/s`),
        row('throughput ours / curl (median of per-rep ratios)', `${ratio.toFixed(2)}×`, atLeast(ratio, 0.9, '≥ 0.9×')),
        row('peak RSS growth while downloading (median)', mb(rss), below(rss, RSS_LIMIT, '< 32 MB')),
        row('peak RSS growth (worst of reps)', mb(maxRss)),
      ],
      notes: [
        `A ${mb(SIZE)} generated result (simulator \`largeVideoBytes\`) over loopback, ${REPS} repetitions interleaved with curl (order alternating), written to ${path.dirname(dir)}.`,
        'Our side runs `KieClient.download` in a child Node process (the simulator stays in the parent, so its memory is not counted); timing excludes process start, curl\'s is its own `%{time_total}`. RSS is sampled every 10 ms from a baseline taken after a warm-up `getCredits()` call and a forced GC.',
        `Per-rep throughput ours: ${oursMBps.map((v) => v.toFixed(0)).join(', ')} MB/s; curl: ${curlMBps.map((v) => v.toFixed(0)).join(', ')} MB/s; RSS growth: ${ours.map((r) => mb(r.peakRssGrowth)).join(', ')}.`,
      ],
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await sim.close();
  }
}

runStandalone(module, measureDownload);

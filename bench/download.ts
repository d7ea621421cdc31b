import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KieClient } from '../src/core/kie/kieClient';
import { startSimulator } from '../src/simulator/server';
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
const CONTENDERS = ['ours', 'curl', 'undici', 'node-http', 'undici-1MiB', 'ours-gc'] as const;
const GC_EVERY_MS = 5;
type Contender = (typeof CONTENDERS)[number];
type Measured = { bytes: number; seconds: number; peakRssGrowth?: number; peakArrayBuffersGrowth?: number };

/** tmpfs when there is one, so disk write speed (shared by both contenders, and noisy) does not dominate. */
function scratchDir(): string {
  const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  return fs.mkdtempSync(path.join(base, 'sora-bench-dl-'));
}

async function curlDownload(url: string, target: string): Promise<Measured> {
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
    const results: Record<Contender, Measured[]> = { ours: [], curl: [], 'node-http': [], undici: [], 'undici-1MiB': [], 'ours-gc': [] };
    const runOne = async (who: Contender, i: number): Promise<void> => {
      const target = path.join(dir, `${who}-${i}.mp4`);
      let r: Measured;
      if (who === 'curl') r = await curlDownload(url, target);
      else if (who === 'ours' || who === 'ours-gc') {
        const gcEveryMs = who === 'ours-gc' ? GC_EVERY_MS : undefined;
        r = await runWorker<WorkerResult>(path.join(benchOut, 'workers', 'clientWorker.js'), [JSON.stringify({ ...job, target, gcEveryMs })], ['--expose-gc']);
      }
      else r = await runWorker<WorkerResult>(path.join(benchOut, 'workers', 'plainDownloadWorker.js'), [who, url, target], ['--expose-gc']);
      const onDisk = fs.statSync(target).size;
      fs.rmSync(target);
      if (r.bytes !== SIZE || onDisk !== SIZE) throw new Error(`${who} got ${r.bytes} bytes (${onDisk} on disk), expected ${SIZE}`);
      results[who].push(r);
    };
    for (let i = 0; i < REPS; i++) {
      // Rotate who goes first, so a warming cache or a noisy neighbour favours no one.
      for (let k = 0; k < CONTENDERS.length; k++) await runOne(CONTENDERS[(i + k) % CONTENDERS.length], i);
    }
    const mbps = (who: Contender) => results[who].map((r) => r.bytes / r.seconds / 2 ** 20);
    const ratioTo = (who: Contender) => median(mbps('ours').map((v, i) => v / mbps(who)[i]));
    const rssOf = (who: Contender) => median(results[who].map((r) => r.peakRssGrowth ?? NaN));
    const abOf = (who: Contender) => median(results[who].map((r) => r.peakArrayBuffersGrowth ?? NaN));
    const ratio = ratioTo('curl');
    const rss = rssOf('ours');
    const perRep = (who: Contender) => mbps(who).map((v) => v.toFixed(0)).join(', ');
    const why: string[] = [];
    if (ratio < 0.9) {
      why.push(
        `Why the throughput goal fails: over loopback into tmpfs the receiver's CPU is the limit. Our downloader already reads and writes 1 MiB chunks (STREAM_CHUNK_BYTES in src/core/http.ts), which makes it ${ratioTo('undici').toFixed(2)}× plain undici with Node's 64 KB default and ${ratioTo('node-http').toFixed(2)}× node:http; against the undici control with the same 1 MiB buffers it is ${ratioTo('undici-1MiB').toFixed(2)}×. What remains of the gap to curl is Node's per-chunk stream machinery against curl's C loop. On a real link (a few to a hundred MB/s) neither contender is CPU-bound.`,
      );
    }
    if (rss >= RSS_LIMIT) {
      why.push(
        `Why the memory goal fails: the growth is not data held by our code. Buffers peak at about 32 MB in every Node contender (ours ${mb(abOf('ours'))}, plain undici ${mb(abOf('undici'))}, node:http ${mb(abOf('node-http'))}): already-written 64 KB chunks waiting for V8 to collect them, which it does when about 32 MB of external memory has piled up. With a forced GC every ${GC_EVERY_MS} ms our Buffers stay at ${mb(abOf('ours-gc'))}. The growth does not grow with the file size (300 MB here). Plain undici shows the same RSS (${mb(rssOf('undici'))}); node:http less (${mb(rssOf('node-http'))}).`,
      );
    }
    return {
      title: TITLE,
      rows: [
        row('KieClient.download throughput (median)', `${median(mbps('ours')).toFixed(0)} MB/s`),
        row('curl -s -o throughput (median)', `${median(mbps('curl')).toFixed(0)} MB/s`),
        row('throughput ours / curl (median of per-rep ratios)', `${ratio.toFixed(2)}×`, atLeast(ratio, 0.9, '≥ 0.9×')),
        row('peak RSS growth while downloading (median)', mb(rss), below(rss, RSS_LIMIT, '< 32 MB')),
        row('control: plain undici request → file', `${median(mbps('undici')).toFixed(0)} MB/s (ours ${ratioTo('undici').toFixed(2)}×), RSS +${mb(rssOf('undici'))}`),
        row('control: node:http get → file', `${median(mbps('node-http')).toFixed(0)} MB/s (ours ${ratioTo('node-http').toFixed(2)}×), RSS +${mb(rssOf('node-http'))}`),
        row(
          'experiment: undici request → file, 1 MiB highWaterMark on body and file stream',
          `${median(mbps('undici-1MiB')).toFixed(0)} MB/s (ours ${ratioTo('undici-1MiB').toFixed(2)}×), RSS +${mb(rssOf('undici-1MiB'))}`,
        ),
        row(`diagnostic: ours with a forced GC every ${GC_EVERY_MS} ms (memory really held)`, `RSS +${mb(rssOf('ours-gc'))}, Buffers +${mb(abOf('ours-gc'))}`),
        row('peak Buffer (ArrayBuffer) growth: ours / undici / node:http', `${mb(abOf('ours'))} / ${mb(abOf('undici'))} / ${mb(abOf('node-http'))}`),
      ],
      notes: [
        `A ${mb(SIZE)} generated result (simulator \`largeVideoBytes\`) over loopback, ${REPS} repetitions, the ${CONTENDERS.length} contenders interleaved (order rotating), written to ${path.dirname(dir)}.`,
        "Node contenders (ours, and the no-project-code controls) each run in a child process (the simulator stays in the parent, so its memory is not counted); timing excludes process start, curl's is its own `%{time_total}`. RSS is sampled every 10 ms from a baseline taken after a warm-up request and a forced GC.",
        'The controls use no project code: undici\'s `request()` body and Node\'s `http.get()` response piped into `fs.createWriteStream`. They show which part of a gap to curl is Node/undici itself and which is our downloader (src/core/download.ts).',
        ...why,
        `Per-rep throughput (MB/s) ours: ${perRep('ours')}; curl: ${perRep('curl')}; undici: ${perRep('undici')}; node:http: ${perRep('node-http')}. Our RSS growth per rep: ${results.ours.map((r) => mb(r.peakRssGrowth ?? NaN)).join(', ')}.`,
      ],
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await sim.close();
  }
}

runStandalone(module, measureDownload);

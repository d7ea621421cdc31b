import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KieClient } from '../src/core/kie/kieClient';
import { startSimulator, type Simulator } from '../src/simulator/server';
import { runCommand, runWorker } from './lib/child';
import { atLeast, atMost, below, mb, ms, row, type FigureResult, type FigureRow } from './lib/figure';
import { benchOut } from './lib/paths';
import { writePngLike } from './lib/pngFile';
import { finishedResultUrl } from './lib/simTask';
import { median } from './lib/stats';
import { runStandalone } from './lib/standalone';
import { startThrottleProxy } from './lib/throttleProxy';
import { startUploadSink } from './lib/uploadSink';
import type { WorkerJob, WorkerResult } from './workers/clientWorker';

const TITLE = '4. Transfers: event-loop delay, CPU, memory, shaped link';
const MiB = 1024 * 1024;
const SMALL_DL = 300 * MiB;
const LARGE_DL = 3 * 1024 * MiB;
const SHAPED_DL = 40 * MiB;
const LINK_BYTES_PER_S = 100e6 / 8;
const REPS = 3;
const SHAPED_REPS = 2;
const ELD_LIMIT_MS = 10;
const SIZE_SLACK = 8 * MiB;

interface CurlRun {
  bytes: number;
  seconds: number;
  cpuSeconds: number;
}

function scratchDir(): string {
  const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  return fs.mkdtempSync(path.join(base, 'sora-bench-tx-'));
}

/** curl under bash so `times` reports the child's user and system CPU. */
async function curl(url: string, target: string): Promise<CurlRun> {
  const res = await runCommand('bash', ['-c', 'curl -s -S -f -o "$1" -w "%{size_download} %{time_total}\\n" "$2" || exit 1; times', 'curl', target, url]);
  if (res.code !== 0) throw new Error(`curl failed (${res.code}): ${res.stderr}`);
  const lines = res.stdout.trim().split('\n');
  const [bytes, seconds] = lines[0].split(/\s+/).map(Number);
  const toS = (t: string): number => {
    const m = /(\d+)m([\d.]+)s/.exec(t);
    return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  };
  const [user, sys] = (lines[lines.length - 1] ?? '').trim().split(/\s+/).map(toS);
  fs.rmSync(target, { force: true });
  return { bytes, seconds, cpuSeconds: user + sys };
}

/** No project code: node:http get piped into a file stream, in a child, with its CPU time. */
async function plainNodeDownload(url: string, target: string): Promise<CurlRun> {
  const script = `const http=require('node:http'),fs=require('node:fs');const c0=process.cpuUsage(),t0=performance.now();http.get(process.argv[1],(res)=>{let n=0;res.on('data',(b)=>n+=b.length);res.pipe(fs.createWriteStream(process.argv[2])).on('finish',()=>{const c=process.cpuUsage(c0);console.log(JSON.stringify({bytes:n,seconds:(performance.now()-t0)/1000,cpuSeconds:(c.user+c.system)/1e6}))})})`;
  const res = await runCommand(process.execPath, ['-e', script, url, target]);
  fs.rmSync(target, { force: true });
  if (res.code !== 0) throw new Error(`plain node download failed: ${res.stderr}`);
  return JSON.parse(res.stdout.trim()) as CurlRun;
}

async function resultUrl(sim: Simulator): Promise<string> {
  const setup = new KieClient({ apiBaseUrl: sim.url, uploadBaseUrl: sim.uploadUrl, imgbbBaseUrl: sim.imgbbUrl, apiKey: sim.apiKey });
  try {
    return await finishedResultUrl(setup);
  } finally {
    await setup.close();
  }
}

function jobFor(sim: Simulator, apiBaseUrl = sim.url): Omit<WorkerJob, 'op' | 'source'> {
  return { apiBaseUrl, uploadBaseUrl: sim.uploadUrl, imgbbBaseUrl: sim.imgbbUrl, apiKey: sim.apiKey };
}

async function ours(job: WorkerJob, expectBytes?: number): Promise<WorkerResult> {
  const r = await runWorker<WorkerResult>(path.join(benchOut, 'workers', 'clientWorker.js'), [JSON.stringify(job)], ['--expose-gc']);
  if (job.target) fs.rmSync(job.target, { force: true });
  if (expectBytes !== undefined && r.bytes !== expectBytes) throw new Error(`${job.op} moved ${r.bytes} bytes, expected ${expectBytes}`);
  return r;
}

const med = <T>(xs: T[], f: (x: T) => number): number => median(xs.map(f));

export async function measureTransfer(): Promise<FigureResult> {
  const dir = scratchDir();
  const sims: Simulator[] = [];
  const closers: Array<() => Promise<void>> = [];
  try {
    const start = async (bytes: number): Promise<Simulator> => {
      const s = await startSimulator({ largeVideoBytes: bytes, defaultDurationMs: 50 });
      sims.push(s);
      return s;
    };
    const sim300 = await start(SMALL_DL);
    const url300 = await resultUrl(sim300);
    const rows: FigureRow[] = [];
    const notes: string[] = [];

    // 300 MB over loopback, ours and curl interleaved.
    const our300: WorkerResult[] = [];
    const curl300: CurlRun[] = [];
    for (let i = 0; i < REPS; i++) {
      const mine = (): Promise<void> => ours({ ...jobFor(sim300), op: 'download', source: url300, target: path.join(dir, `o${i}.mp4`) }, SMALL_DL).then((r) => void our300.push(r));
      const theirs = (): Promise<void> => curl(url300, path.join(dir, `c${i}.mp4`)).then((r) => void curl300.push(r));
      if (i % 2 === 0) await mine().then(theirs);
      else await theirs().then(mine);
    }
    const plain: CurlRun[] = [];
    for (let i = 0; i < REPS; i++) plain.push(await plainNodeDownload(url300, path.join(dir, `p${i}.mp4`)));
    const perGB = (cpu: number, bytes: number): number => cpu / (bytes / (1024 * MiB));
    const plainCpu = med(plain, (r) => perGB(r.cpuSeconds, r.bytes));
    const oursCpu = med(our300, (r) => perGB(r.cpuSeconds, r.bytes));
    const curlCpu = med(curl300, (r) => perGB(r.cpuSeconds, r.bytes));

    // Uploads: 10 MB through the product path, 100 MB through the same transport without the 10 MB check.
    const warm = path.join(dir, 'warm.png');
    const img10 = path.join(dir, 'ten.png');
    const img100 = path.join(dir, 'hundred.png');
    writePngLike(warm, 64 * 1024);
    writePngLike(img10, 10 * MiB - 4096);
    writePngLike(img100, 100 * MiB);
    const sink = await startUploadSink();
    closers.push(sink.close);
    const up10: WorkerResult[] = [];
    const up100: WorkerResult[] = [];
    const up10Sink: WorkerResult[] = [];
    for (let i = 0; i < REPS; i++) {
      up10.push(await ours({ ...jobFor(sim300), op: 'upload', source: img10, warmupImage: warm }));
      up10Sink.push(await ours({ ...jobFor(sim300), uploadBaseUrl: sink.url, op: 'uploadUnchecked', source: img10, warmupImage: warm }));
      up100.push(await ours({ ...jobFor(sim300), uploadBaseUrl: sink.url, op: 'uploadUnchecked', source: img100, warmupImage: warm }));
    }
    const up100Gc = await ours({ ...jobFor(sim300), uploadBaseUrl: sink.url, op: 'uploadUnchecked', source: img100, warmupImage: warm, gcEveryMs: 5 });
    for (const f of [warm, img10, img100]) fs.rmSync(f, { force: true });

    // 3 GB once (RSS only): a fresh simulator serving the larger file.
    const sim3g = await start(LARGE_DL);
    const url3g = await resultUrl(sim3g);
    const our3g = await ours({ ...jobFor(sim3g), op: 'download', source: url3g, target: path.join(dir, 'big.mp4') }, LARGE_DL);
    await sim3g.close();
    sims.splice(sims.indexOf(sim3g), 1);

    // Shaped link: 100 Mbit/s relay in front of a simulator, ours and curl through it.
    const simShaped = await start(SHAPED_DL);
    const urlShapedDirect = await resultUrl(simShaped);
    const proxy = await startThrottleProxy(Number(new URL(simShaped.url).port), LINK_BYTES_PER_S);
    closers.push(proxy.close);
    const proxied = `http://127.0.0.1:${proxy.port}`;
    const urlShaped = urlShapedDirect.replace(new URL(simShaped.url).origin, proxied);
    const ourShaped: WorkerResult[] = [];
    const curlShaped: CurlRun[] = [];
    for (let i = 0; i < SHAPED_REPS; i++) {
      ourShaped.push(await ours({ ...jobFor(simShaped, proxied), op: 'download', source: urlShaped, target: path.join(dir, `so${i}.mp4`) }, SHAPED_DL));
      curlShaped.push(await curl(urlShaped, path.join(dir, `sc${i}.mp4`)));
    }
    const mbps = (bytes: number, s: number): number => bytes / s / 1e6;
    const ourShapedMbps = med(ourShaped, (r) => mbps(r.bytes, r.seconds));
    const curlShapedMbps = med(curlShaped, (r) => mbps(r.bytes, r.seconds));
    const shapedRatio = ourShapedMbps / curlShapedMbps;

    const eldDl = med(our300, (r) => r.eldP99Ms);
    const eldShaped = med(ourShaped, (r) => r.eldP99Ms);
    const eldUp = med(up10, (r) => r.eldP99Ms);
    const rss300 = med(our300, (r) => r.peakRssGrowth);
    const rssUp10 = med(up10, (r) => r.peakRssGrowth);
    const rssUp100 = med(up100, (r) => r.peakRssGrowth);
    const rssUp10Sink = med(up10Sink, (r) => r.peakRssGrowth);
    rows.push(
      row('event-loop delay p99, 300 MB download over loopback (CPU-bound, worst case)', `${ms(eldDl)} (max ${ms(med(our300, (r) => r.eldMaxMs))})`, below(eldDl, ELD_LIMIT_MS, '< 10 ms')),
      row('event-loop delay p99, download over the 100 Mbit/s link', `${ms(eldShaped)} (max ${ms(med(ourShaped, (r) => r.eldMaxMs))})`, below(eldShaped, ELD_LIMIT_MS, '< 10 ms')),
      row('event-loop delay p99, 10 MB image upload', `${ms(eldUp)} (max ${ms(med(up10, (r) => r.eldMaxMs))})`, below(eldUp, ELD_LIMIT_MS, '< 10 ms')),
      row('CPU (user+sys) per GB downloaded: ours / curl -o', `${oursCpu.toFixed(2)} s / ${curlCpu.toFixed(2)} s (${(oursCpu / curlCpu).toFixed(2)}×)`, atMost(oursCpu, 2 * curlCpu, '≤ 2× curl')),
      row('control: plain node:http get → fs.createWriteStream, CPU per GB (no project code)', `${plainCpu.toFixed(2)} s (${(plainCpu / curlCpu).toFixed(2)}× curl; ours ${(oursCpu / plainCpu).toFixed(2)}× it)`),
      row('peak RSS growth: 300 MB / 3 GB download', `${mb(rss300)} / ${mb(our3g.peakRssGrowth)}`, atMost(our3g.peakRssGrowth - rss300, SIZE_SLACK, 'larger within 8 MB')),
      row('peak RSS growth: 10 MB upload (product path, simulator)', mb(rssUp10)),
      row('peak RSS growth: 10 MB / 100 MB upload (same transport, to the bench sink)', `${mb(rssUp10Sink)} / ${mb(rssUp100)}`, atMost(rssUp100 - rssUp10Sink, SIZE_SLACK, 'larger within 8 MB')),
      row('diagnostic: 100 MB upload with a forced GC every 5 ms', `RSS +${mb(up100Gc.peakRssGrowth)}, Buffers +${mb(up100Gc.peakArrayBuffersGrowth)} (without: Buffers +${mb(med(up100, (r) => r.peakArrayBuffersGrowth))})`),
      row('100 Mbit/s link: ours / curl throughput', `${ourShapedMbps.toFixed(2)} / ${curlShapedMbps.toFixed(2)} MB/s (${shapedRatio.toFixed(3)}×)`, atLeast(shapedRatio, 0.95, '≥ 0.95× curl')),
      row('loopback 300 MB throughput: ours / curl (context only)', `${med(our300, (r) => mbps(r.bytes, r.seconds)).toFixed(0)} / ${med(curl300, (r) => mbps(r.bytes, r.seconds)).toFixed(0)} MB/s`),
    );
    notes.push(
      `Each transfer of ours runs in a child process (out/bench/workers/clientWorker.js) through the real KieClient; the simulator stays in the parent, so neither its CPU nor its memory is counted. Event-loop delay is perf_hooks.monitorEventLoopDelay (1 ms resolution) in that process, which is the process that would be the extension host; CPU is process.cpuUsage() over the transfer; RSS is sampled every 10 ms from a baseline taken after a warm-up request and a GC. Written to ${fs.existsSync('/dev/shm') ? 'tmpfs (/dev/shm)' : 'the temp folder'}.`,
      `curl's CPU is bash's \`times\` for the curl child (user + sys), same URL, same target folder, interleaved with ours (${REPS} reps, medians). Per-rep CPU s/GB ours: ${our300.map((r) => perGB(r.cpuSeconds, r.bytes).toFixed(2)).join(', ')}; curl: ${curl300.map((r) => perGB(r.cpuSeconds, r.bytes).toFixed(2)).join(', ')}.`,
      'The 100 MB upload: the product refuses images over 10 MB (src/core/media/imageCheck.ts) before any byte is sent, so this test-only path calls the same streaming transport KieClient.uploadImage uses (uploadToKie in src/core/kie/upload/kieUpload.ts, with the client\'s own HttpClient) directly, skipping only the size check. The simulator refuses request bodies over 48 MB, so both sizes of that pair go to a bench-only sink (bench/lib/uploadSink.ts: drains the body, answers like Kie\'s file host); the 10 MB product-path upload to the simulator is shown for comparison.',
      `The shaped link is a token-bucket TCP relay in the bench process (bench/lib/throttleProxy.ts: ${LINK_BYTES_PER_S * 8 / 1e6} Mbit/s on the answer direction, bursts ≤ 20 ms) in front of a simulator serving a ${mb(SHAPED_DL)} result; ours and curl both go through it, ${SHAPED_REPS} reps each. Ceiling ${(LINK_BYTES_PER_S / 1e6).toFixed(2)} MB/s.`,
      `Per-rep event-loop p99 (ms), 300 MB loopback: ${our300.map((r) => r.eldP99Ms.toFixed(1)).join(', ')}; shaped: ${ourShaped.map((r) => r.eldP99Ms.toFixed(1)).join(', ')}; 10 MB upload: ${up10.map((r) => r.eldP99Ms.toFixed(1)).join(', ')}. RSS growth per rep, 300 MB: ${our300.map((r) => mb(r.peakRssGrowth)).join(', ')}; uploads 10 MB (sink): ${up10Sink.map((r) => mb(r.peakRssGrowth)).join(', ')}; 10 MB (simulator): ${up10.map((r) => mb(r.peakRssGrowth)).join(', ')}; 100 MB: ${up100.map((r) => mb(r.peakRssGrowth)).join(', ')}.`,
      'The machine is shared with other engineers and loaded during this run: event-loop delay and CPU figures are noisy (medians shown); a delay spike can be the scheduler giving the core to another process rather than our code.',
    );
    if (oursCpu > 2 * curlCpu)
      notes.push(
        `Why CPU per GB fails: over loopback the transfer is CPU-bound, and Node itself costs ${(plainCpu / curlCpu).toFixed(1)}× curl's CPU before any of our code (the plain node:http control, same URL and target); ours is ${(oursCpu / plainCpu).toFixed(2)}× that control (undici plus our downloader, src/core/media/download.ts; not split further in this round). The remaining gap to curl is Node's per-chunk stream and JS↔C++ crossings against curl's C read/write loop; on the 100 Mbit/s link the same code keeps up with the link (row above).`,
      );
    if (rssUp100 - rssUp10Sink > SIZE_SLACK)
      notes.push(
        `Why the upload memory goal fails: with a forced GC every 5 ms the 100 MB upload's RSS growth is ${mb(up100Gc.peakRssGrowth)} (Buffers ${mb(up100Gc.peakArrayBuffersGrowth)}) against ${mb(rssUp100)} without, so ${up100Gc.peakRssGrowth - rssUp10Sink <= SIZE_SLACK ? 'the growth is garbage V8 had not collected yet (read-stream chunks already sent), not memory our code holds' : 'part of the growth is held while sending (file chunks queued ahead of the socket), not only uncollected garbage'}. The product never sends more than 10 MB.`,
      );
    if (eldDl >= ELD_LIMIT_MS) notes.push(`Why the loopback delay may fail while the shaped one passes: over loopback the download is CPU-bound (the simulator feeds it as fast as the core allows), so each turn of the loop handles chunk after chunk; on a real link data arrives slower than it is written.`);
    return { title: TITLE, rows, notes };
  } finally {
    for (const c of closers) await c();
    for (const s of sims) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runStandalone(module, measureTransfer);

import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_IMAGE_BYTES } from '../src/core/media/imageCheck';
import { startSimulator } from '../src/simulator/server';
import { runWorker } from './lib/child';
import { below, mb, row, type FigureResult } from './lib/figure';
import { benchOut } from './lib/paths';
import { writePngLike } from './lib/pngFile';
import { median } from './lib/stats';
import { runStandalone } from './lib/standalone';
import type { WorkerJob, WorkerResult } from './workers/clientWorker';

const TITLE = '4. Upload of a 10 MB image';
const REPS = 5;
const RSS_LIMIT = 16 * 1024 * 1024;
const HOSTS = ['kie', 'imgbb'] as const;
const GC_EVERY_MS = 5;

/** What Kie's file upload answers on success; the sink answers it to everything. */
const UPLOADED = JSON.stringify({ success: true, code: 200, msg: 'File uploaded successfully', data: { downloadUrl: 'https://example.invalid/images/a.png' } });

/**
 * A server that reads and discards request bodies as fast as they come and answers like Kie's upload:
 * the far end of the control uploads, so server-side behaviour is the same for ours and the control.
 */
async function startSink(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(UPLOADED));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function measureUpload(): Promise<FigureResult> {
  const sim = await startSimulator({ imgbbKey: 'sim-imgbb-key' });
  const sink = await startSink();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sora-bench-up-'));
  try {
    const image = path.join(dir, 'large.png');
    const warmup = path.join(dir, 'small.png');
    writePngLike(image, MAX_IMAGE_BYTES);
    writePngLike(warmup, 4096);
    const results: Record<(typeof HOSTS)[number], WorkerResult[]> = { kie: [], imgbb: [] };
    const control: WorkerResult[] = [];
    const collected: WorkerResult[] = [];
    const toSink: WorkerResult[] = [];
    for (let i = 0; i < REPS; i++) {
      control.push(await runWorker<WorkerResult>(path.join(benchOut, 'workers', 'plainUploadWorker.js'), [sink.url, image], ['--expose-gc']));
      const sinkJob: WorkerJob = { op: 'upload', apiBaseUrl: sim.url, uploadBaseUrl: sink.url.replace(/\/$/, ''), imgbbBaseUrl: sim.imgbbUrl, apiKey: sim.apiKey, imageHost: 'kie', source: image, warmupImage: warmup };
      toSink.push(await runWorker<WorkerResult>(path.join(benchOut, 'workers', 'clientWorker.js'), [JSON.stringify(sinkJob)], ['--expose-gc']));
      const diagnostic: WorkerJob = { op: 'upload', apiBaseUrl: sim.url, uploadBaseUrl: sim.uploadUrl, imgbbBaseUrl: sim.imgbbUrl, apiKey: sim.apiKey, imageHost: 'kie', source: image, warmupImage: warmup, gcEveryMs: GC_EVERY_MS };
      collected.push(await runWorker<WorkerResult>(path.join(benchOut, 'workers', 'clientWorker.js'), [JSON.stringify(diagnostic)], ['--expose-gc']));
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
      const buffers = median(results[host].map((r) => r.peakArrayBuffersGrowth ?? NaN));
      return [
        row(`${host}: peak RSS growth (median of ${REPS})`, mb(growth), below(growth, RSS_LIMIT, '< 16 MB')),
        row(`${host}: peak Buffer (ArrayBuffer) growth`, mb(buffers)),
        row(`${host}: upload time (median)`, `${(secs * 1000).toFixed(0)} ms`),
      ];
    });
    rows.push(
      row(
        'control: plain undici POST of fs.createReadStream (no multipart, no project code)',
        `RSS +${mb(median(control.map((r) => r.peakRssGrowth)))}, Buffers +${mb(median(control.map((r) => r.peakArrayBuffersGrowth ?? NaN)))}`,
      ),
    );
    rows.push(
      row('control: our kie upload to the same discard server', `RSS +${mb(median(toSink.map((r) => r.peakRssGrowth)))}, Buffers +${mb(median(toSink.map((r) => r.peakArrayBuffersGrowth ?? NaN)))}`),
      row(
        `diagnostic: kie upload with a forced GC every ${GC_EVERY_MS} ms (memory really held)`,
        `RSS +${mb(median(collected.map((r) => r.peakRssGrowth)))}, Buffers +${mb(median(collected.map((r) => r.peakArrayBuffersGrowth ?? NaN)))}`,
      ),
    );
    const failing = rows.some((r) => r.goal && !r.goal.pass);
    const why = failing
      ? [
          `Why the goal fails: the file is streamed, not buffered: Buffers peak at the file size only because already-sent 64 KB chunks wait for the garbage collector (with a forced GC every ${GC_EVERY_MS} ms they peak at ${mb(median(collected.map((r) => r.peakArrayBuffersGrowth ?? NaN)))}), and V8's heap does not grow. imgbb takes the same streamed multipart path as Kie (no base64). The rest of the growth is native (anonymous) memory outside V8's accounting that stays after the upload; the same harness measures a plain undici stream upload at ${mb(median(control.map((r) => r.peakRssGrowth)))} and our upload to a discard server at ${mb(median(toSink.map((r) => r.peakRssGrowth)))}, figures that vary a lot from run to run. A side experiment during development (a hand-written multipart body as an async iterable, straight into undici, against the simulator) measured 23-39 MB against 13-37 MB for form-data, so the multipart layer is not the cause; what is left is the runtime's native memory, which no change in src/core/upload/ was shown to reduce. The figure that reflects our code is the forced-GC Buffer peak above.`,
        ]
      : [];
    return {
      title: TITLE,
      rows,
      notes: [
        `A ${mb(MAX_IMAGE_BYTES)} file (PNG signature + IHDR, then random bytes) uploaded with \`KieClient.uploadImage\` to the simulator's Kie stream upload and imgbb endpoints, ${REPS} repetitions each, alternating order, each in a fresh child process.`,
        'Baseline RSS is taken after a warm-up `getCredits()` and a warm-up upload of a 4 KB image through the same host (so lazily loaded code is not counted) and a forced GC; sampled every 10 ms.',
        ...why,
        `Per-rep growth kie: ${results.kie.map((r) => mb(r.peakRssGrowth)).join(', ')}; imgbb: ${results.imgbb.map((r) => mb(r.peakRssGrowth)).join(', ')}.`,
      ],
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await sim.close();
    await sink.close();
  }
}

runStandalone(module, measureUpload);

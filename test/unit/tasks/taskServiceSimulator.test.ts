import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KieError } from '../../../src/core/kie/errors';
import { KieClient, type KieClientOptions } from '../../../src/core/kie/kieClient';
import { TaskLedger } from '../../../src/core/tasks/ledger';
import { adaptivePolicy, fixedPolicy } from '../../../src/core/tasks/scheduler';
import { fixtureVideoPath } from '../../../src/simulator/fixture';
import { startSimulator, type Simulator } from '../../../src/simulator/server';
import { TaskService, type TaskEvent, type TaskServiceOptions } from '../../../src/core/tasks/taskService';
import type { GenerationRequest } from '../../../src/core/models/spec';
import { presentError } from '../../../src/vscode/presentation/errorPresentation';
import { findBundled } from '../../../src/core/models/bundledSpecs';
import { buildRequest } from '../../../src/core/models/requestBuilder';

const CREATE_PATHS = ['/api/v1/veo/generate', '/api/v1/jobs/createTask'];

/** Waits (real time) for a condition the flow will reach; the limit only guards against a hang. */
async function waitFor(what: string, done: () => boolean, limitMs = 30_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > until) throw new Error(`Gave up waiting for ${what}`);
    await sleep(20);
  }
}

describe('TaskService against the simulator (real client, real files)', function () {
  this.timeout(90_000);
  let sim: Simulator;
  let dir = '';
  let services: TaskService[] = [];
  let clients: KieClient[] = [];

  beforeEach(async () => {
    sim = await startSimulator({ defaultDurationMs: 1500 });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tasks-sim-'));
    services = [];
    clients = [];
  });

  afterEach(async () => {
    for (const s of services) s.dispose();
    for (const s of services) await s.idle();
    for (const c of clients) await c.close();
    await sim?.close();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  async function openWindow(
    ownerId: string,
    extra: Partial<TaskServiceOptions> = {},
    clientOpts: Partial<KieClientOptions> = {},
  ): Promise<{ ledger: TaskLedger; service: TaskService; events: TaskEvent[] }> {
    const ledger = await TaskLedger.open(path.join(dir, 'state', 'tasks.json'));
    const client = new KieClient({ apiBaseUrl: sim.url, uploadBaseUrl: sim.uploadUrl, imgbbBaseUrl: sim.imgbbUrl, apiKey: sim.apiKey, ...clientOpts });
    clients.push(client);
    const service = new TaskService({
      ledger,
      client: () => client,
      ownerId,
      policy: adaptivePolicy({ timeScale: 0.02 }),
      expectedMs: () => 1000,
      pollBackoff: { baseMs: 50, maxMs: 500 },
      downloadRetry: { baseMs: 50, maxMs: 500 },
      ...extra,
    });
    services.push(service);
    const events: TaskEvent[] = [];
    service.onEvent((e) => events.push(e));
    return { ledger, service, events };
  }

  const createCalls = (): number => CREATE_PATHS.reduce((n, p) => n + sim.count(p), 0);

  it('finishes a task across a restart: one createTask, the exact video bytes, one completed event', async () => {
    sim.scriptNextTasks({ durationMs: 2000 });
    const first = await openWindow('window-1');
    const request: GenerationRequest = { model: 'veo3_fast', prompt: 'Waves on a pebble beach', aspect: '16:9' };
    const rec = await first.service.submit({ request, outputDir: path.join(dir, 'videos') });
    await waitFor('the task to run', () => first.ledger.get(rec.id)?.state === 'generating');
    first.service.dispose();
    await first.service.idle();

    const second = await openWindow('window-2');
    second.service.resumeAll();
    await waitFor('the video', () => second.ledger.get(rec.id)?.state === 'completed');
    const done = second.ledger.get(rec.id)!;
    assert.deepEqual(await fs.readFile(done.localFile!), await fs.readFile(fixtureVideoPath()));
    const sidecar = JSON.parse(await fs.readFile(done.localFile!.replace(/\.mp4$/, '.json'), 'utf8')) as { taskId: string; prompt: string };
    assert.equal(sidecar.taskId, rec.taskId);
    assert.equal(sidecar.prompt, request.prompt);
    assert.equal(createCalls(), 1);
    const completed = [...first.events, ...second.events].filter((e) => e.type === 'completed');
    assert.equal(completed.length, 1);
    assert.deepEqual(
      (await fs.readdir(path.join(dir, 'videos'))).sort(),
      [path.basename(done.localFile!), path.basename(done.localFile!).replace(/\.mp4$/, '.json')].sort(),
    );
  });

  it('downloads a result whose link expired while no window was open', async () => {
    await sim.close();
    sim = await startSimulator({ defaultDurationMs: 300, resultUrlTtlMs: 200 });
    const first = await openWindow('window-1');
    const rec = await first.service.submit({
      request: { model: 'veo3_fast', prompt: 'Fog over a harbour', aspect: '16:9' },
      outputDir: path.join(dir, 'videos'),
    });
    first.service.dispose();
    await first.service.idle();
    await waitFor('Kie to finish', () => sim.task(rec.taskId!)?.state === 'success');
    // Past the 200 ms lifetime of the result link.
    await sleep(300);
    const second = await openWindow('window-2');
    second.service.resumeAll();
    await waitFor('the video', () => second.ledger.get(rec.id)?.state === 'completed');
    assert.deepEqual(await fs.readFile(second.ledger.get(rec.id)!.localFile!), await fs.readFile(fixtureVideoPath()));
    assert.ok(sim.count('/api/v1/common/download-url') >= 1, 'a fresh link was asked for');
    assert.equal(createCalls(), 1);
  });

  it('retries a download cut off halfway and leaves no partial file', async () => {
    sim.scriptNextTasks({ durationMs: 200 });
    sim.failNext('.mp4', { kind: 'truncate', afterBytes: 1000 }, 4);
    const w = await openWindow('window-1');
    const outputDir = path.join(dir, 'videos');
    const rec = await w.service.submit({ request: { model: 'veo3_fast', prompt: 'Rain on a window', aspect: '9:16' }, outputDir });
    await waitFor('the video', () => w.ledger.get(rec.id)?.state === 'completed');
    assert.deepEqual(await fs.readFile(w.ledger.get(rec.id)!.localFile!), await fs.readFile(fixtureVideoPath()));
    assert.deepEqual((await fs.readdir(outputDir)).filter((n) => !/\.(mp4|json)$/.test(n)), []);
    assert.ok(sim.requests.filter((r) => r.path.endsWith('.mp4')).length >= 5);
  });

  it('keeps every take of one named video when they finish together: each its own file, its own sidecar, the history right', async () => {
    for (let i = 0; i < 4; i++) sim.scriptNextTasks({ durationMs: 300 });
    // Slow answers make the four downloads overlap, as variants finishing together do.
    sim.failNext('.mp4', { kind: 'slow', delayMs: 400 }, 4);
    const w = await openWindow('window-1', { policy: fixedPolicy(100) });
    const outputDir = path.join(dir, 'videos');
    const recs = await Promise.all(
      Array.from({ length: 4 }, () => w.service.submit({ request: { model: 'veo3_fast', prompt: 'One prompt, four takes', aspect: '16:9' }, outputDir, outputName: 'takes' })),
    );
    await waitFor('all 4 takes', () => recs.every((r) => w.ledger.get(r.id)?.state === 'completed'));
    await w.service.idle();
    const done = recs.map((r) => w.ledger.get(r.id)!);
    assert.equal(new Set(done.map((r) => r.localFile)).size, 4, `four files: ${done.map((r) => r.localFile).join(', ')}`);
    for (const r of done) {
      const sidecar = JSON.parse(await fs.readFile(r.localFile!.replace(/\.mp4$/, '.json'), 'utf8')) as { taskId: string };
      assert.equal(sidecar.taskId, r.taskId, `${path.basename(r.localFile!)} is the video of its own task`);
    }
    const files = (await fs.readdir(outputDir)).filter((n) => n.endsWith('.mp4')).sort();
    assert.equal(files.length, 4, files.join(', '));
    assert.ok(files.includes('takes.mp4'));
  });

  it('runs 100 tasks at once within Kie’s 10 requests a second: all complete, no 429', async () => {
    sim.setRateLimit(10);
    // The account's creation limit (20 per 10 s) is another budget; here only polling is under test.
    sim.setCreateLimit(null);
    let seed = 11;
    for (let i = 0; i < 100; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      sim.scriptNextTasks({ durationMs: 100 + (seed % 1900) });
    }
    const w = await openWindow('window-1', { policy: fixedPolicy(2500), maxRequestsPerSecond: 10, maxCreatesPer10s: 100 });
    const outputDir = path.join(dir, 'videos');
    const recs = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        w.service.submit({ request: { model: 'veo3_fast', prompt: `Clip number ${i}`, aspect: '16:9' }, outputDir }),
      ),
    );
    await waitFor('all 100 videos', () => recs.every((r) => w.ledger.get(r.id)?.state === 'completed'), 80_000);
    // The ledger shows "completed" a moment before the event is emitted (the lock is released between).
    await w.service.idle();
    assert.equal(createCalls(), 100, 'createTask calls');
    assert.equal(sim.requests.filter((r) => r.status === 429).length, 0, '429 answers');
    assert.equal((await fs.readdir(outputDir)).filter((n) => n.endsWith('.mp4')).length, 100, 'videos on disk');
    assert.equal(w.events.filter((e) => e.type === 'completed').length, 100, 'completed events');
  });

  describe('a createTask that may have reached Kie', () => {
    const request: GenerationRequest = { model: 'wan/2-7-text-to-video', prompt: 'A paper boat on a rain gutter', aspect: '16:9' };
    const t = (m: string, ...a: Array<string | number | boolean>) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(a[Number(i)]));
    const isMayExist = (e: unknown) => e instanceof KieError && e.kind === 'mayExist';

    it('after a timeout: says the task may exist, offers no Retry, and Kie saw exactly one createTask', async () => {
      // Kie creates the task but answers after the client gave up.
      sim.failNext('/api/v1/jobs/createTask', { kind: 'slow', delayMs: 800 });
      const w = await openWindow('window-1', {}, { requestTimeoutMs: 300 });
      const err = await w.service.submit({ request, outputDir: path.join(dir, 'videos') }).then(
        () => assert.fail('the submission should not look confirmed'),
        (e: unknown) => e,
      );
      assert.ok(isMayExist(err), String(err));
      const shown = presentError({ kind: 'mayExist', message: (err as Error).message }, t, new Set(['retry', 'showTasks', 'adoptTask', 'showLog']));
      assert.ok(!shown.actions.some((a) => a.id === 'retry'), 'no Retry button');
      assert.deepEqual(shown.actions.map((a) => a.id), ['showTasks', 'adoptTask', 'showLog']);
      assert.match(shown.text, /may already exist/);
      const [rec] = w.ledger.all();
      assert.equal(rec.state, 'unknown');

      // Neither this window nor the next one sends it again.
      w.service.dispose();
      await w.service.idle();
      const next = await openWindow('window-2');
      next.service.resumeAll();
      await sleep(1500);
      await next.service.idle();
      assert.equal(sim.count('/api/v1/jobs/createTask'), 1);
      assert.equal(next.ledger.get(rec.id)?.state, 'unknown');
    });

    for (const status of [502, 504, 524]) {
      it(`after a gateway ${status} with an HTML page: may exist, kept in the history as unknown`, async () => {
        sim.failNext('/api/v1/jobs/createTask', { kind: 'malformed', httpStatus: status, body: `<html><head><title>${status} Gateway Time-out</title></head><body>cloud gateway</body></html>` });
        const w = await openWindow('window-1');
        await assert.rejects(w.service.submit({ request, outputDir: path.join(dir, 'videos') }), isMayExist);
        assert.equal(sim.count('/api/v1/jobs/createTask'), 1);
        assert.deepEqual(w.ledger.all().map((r) => [r.state, r.error?.kind]), [['unknown', 'mayExist']]);
      });
    }

    it('after a dropped connection: may exist', async () => {
      sim.failNext('/api/v1/jobs/createTask', { kind: 'drop' });
      const w = await openWindow('window-1');
      await assert.rejects(w.service.submit({ request, outputDir: path.join(dir, 'videos') }), isMayExist);
      assert.equal(sim.count('/api/v1/jobs/createTask'), 1);
    });

    it('but a refusal in Kie\'s own envelope (even a 500) is a plain failure', async () => {
      sim.failNext('/api/v1/jobs/createTask', { kind: 'code', code: 500, httpStatus: 500, msg: 'internal error' });
      const w = await openWindow('window-1');
      await assert.rejects(w.service.submit({ request, outputDir: path.join(dir, 'videos') }), (e: unknown) => e instanceof KieError && e.kind === 'server');
      assert.equal(w.ledger.all()[0].state, 'failed');
    });
  });

  describe('adopting a task by its Kie task ID', () => {
    /** A task made at Kie that this machine's history does not know (another machine, a lost record). */
    async function taskMadeElsewhere(request: GenerationRequest): Promise<string> {
      const elsewhere = new KieClient({ apiBaseUrl: sim.url, uploadBaseUrl: sim.uploadUrl, imgbbBaseUrl: sim.imgbbUrl, apiKey: sim.apiKey });
      clients.push(elsewhere);
      const spec = findBundled(request.model);
      if (!spec) throw new Error(`no bundled spec ${request.model}`);
      return elsewhere.createTask(spec.family, buildRequest(spec, request));
    }

    it('downloads a jobs task like any other, asking only the jobs API', async () => {
      const taskId = await taskMadeElsewhere({ model: 'wan/2-7-text-to-video', prompt: 'Lanterns on a river', aspect: '16:9' });
      const w = await openWindow('window-1');
      const rec = await w.service.adopt({ taskId: `  ${taskId}\n`, outputDir: path.join(dir, 'videos') });
      assert.equal(rec.taskId, taskId);
      assert.equal(rec.family, 'jobs');
      await waitFor('the adopted video', () => w.ledger.get(rec.id)?.state === 'completed');
      const done = w.ledger.get(rec.id)!;
      assert.deepEqual(await fs.readFile(done.localFile!), await fs.readFile(fixtureVideoPath()));
      assert.equal(sim.count('/api/v1/veo/record-info'), 0);
      assert.equal(sim.count('/api/v1/jobs/createTask'), 1, 'adopting creates nothing');
    });

    it('finds a Veo task through record-info when the jobs API does not know the id', async () => {
      const taskId = await taskMadeElsewhere({ model: 'veo3_fast', prompt: 'A hummingbird at a feeder', aspect: '9:16' });
      const w = await openWindow('window-1');
      const rec = await w.service.adopt({ taskId, outputDir: path.join(dir, 'videos') });
      assert.equal(rec.family, 'veo');
      await waitFor('the adopted video', () => w.ledger.get(rec.id)?.state === 'completed');
      assert.equal(createCalls(), 1);
    });

    it('asks Veo first for a veo_ id', async () => {
      const w = await openWindow('window-1');
      await assert.rejects(w.service.adopt({ taskId: 'veo_task_0123456789abcdef', outputDir: dir }), (e: unknown) => e instanceof KieError && e.kind === 'notFound');
      const asked = sim.requests.filter((r) => r.path.endsWith('recordInfo') || r.path.endsWith('record-info')).map((r) => r.path);
      assert.deepEqual(asked, ['/api/v1/veo/record-info', '/api/v1/jobs/recordInfo']);
      assert.deepEqual(w.ledger.all(), [], 'nothing recorded for an id Kie does not know');
    });

    it('refuses what is not a task id without asking Kie', async () => {
      const w = await openWindow('window-1');
      await assert.rejects(w.service.adopt({ taskId: 'https://kie.ai/logs?id=1', outputDir: dir }), (e: unknown) => e instanceof KieError && e.kind === 'invalidInput');
      assert.equal(sim.requests.length, 0);
    });

    it('does not add a second record for a task already in the history', async () => {
      const w = await openWindow('window-1');
      const rec = await w.service.submit({ request: { model: 'veo3_fast', prompt: 'Sand dunes at noon', aspect: '16:9' }, outputDir: path.join(dir, 'videos') });
      const again = await w.service.adopt({ taskId: rec.taskId!, outputDir: path.join(dir, 'videos') });
      assert.equal(again.id, rec.id);
      assert.equal(w.ledger.all().length, 1);
    });
  });
});

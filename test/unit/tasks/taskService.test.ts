import * as assert from 'node:assert/strict';
import { promises as fs, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { VirtualClock } from '../../../src/core/tasks/clock';
import { KieError } from '../../../src/core/kie/errors';
import { TaskLedger } from '../../../src/core/tasks/ledger';
import type { VideoSidecar } from '../../../src/core/media/sidecar';
import type { TaskRecord } from '../../../src/core/tasks/task';
import { isResumable } from '../../../src/core/tasks/task';
import { TaskService, type TaskEvent, type TaskServiceOptions } from '../../../src/core/tasks/taskService';
import { EMPTY_SUCCESS_REPOLLS, POLL_FAILURES_BEFORE_TELLING } from '../../../src/core/tasks/retryRules';
import type { GenerationRequest } from '../../../src/core/models/spec';
import { FAKE_CREDITS, FakeKie, VIDEO_BYTES } from './fakeTaskClient';

const REQUEST: GenerationRequest = { model: 'veo3_fast', prompt: 'A red fox running through snow', aspect: '16:9' };
const HOUR = 3600_000;

interface Window {
  ledger: TaskLedger;
  service: TaskService;
  events: TaskEvent[];
  polls: { gets: number };
}

describe('TaskService', () => {
  let dir: string;
  let ledgerFile: string;
  let outputDir: string;
  let services: TaskService[];
  let clock: VirtualClock;
  let kie: FakeKie;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tasks-'));
    ledgerFile = path.join(dir, 'state', 'tasks.json');
    outputDir = path.join(dir, 'videos');
    services = [];
    clock = new VirtualClock({
      settle: async () => {
        for (let i = 0; i < 3; i++) await new Promise<void>((r) => setImmediate(r));
        for (const s of services) await s.idle();
      },
    });
    kie = new FakeKie(clock);
  });

  afterEach(async () => {
    for (const s of services) s.dispose();
    for (const s of services) await s.idle();
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function openWindow(ownerId: string, extra: Partial<TaskServiceOptions> = {}, ownClock = clock): Promise<Window> {
    const ledger = await TaskLedger.open(ledgerFile, { clock: ownClock });
    const polls = { gets: 0 };
    const client = kie.client(polls);
    const service = new TaskService({ ledger, client: () => client, clock: ownClock, ownerId, ...extra });
    services.push(service);
    const events: TaskEvent[] = [];
    service.onEvent((e) => events.push(e));
    return { ledger, service, events, polls };
  }

  const ofType = (w: Window, type: TaskEvent['type']): TaskRecord[] => w.events.filter((e) => e.type === type).map((e) => e.task);
  const stateOf = (w: Window, id: string): string | undefined => w.ledger.get(id)?.state;

  async function expectVideo(rec: TaskRecord): Promise<void> {
    assert.ok(rec.localFile, 'localFile recorded');
    assert.deepEqual(await fs.readFile(rec.localFile), VIDEO_BYTES);
    const sidecar = JSON.parse(await fs.readFile(rec.localFile.replace(/\.mp4$/, '.json'), 'utf8')) as VideoSidecar;
    assert.equal(sidecar.taskId, rec.taskId);
    assert.equal(sidecar.prompt, REQUEST.prompt);
    assert.equal(sidecar.model, 'veo3_fast');
    assert.equal(JSON.stringify(sidecar).includes(kie.urlFor(rec.taskId!)), false, 'the signed result URL stays out of the sidecar');
    const leftovers = (await fs.readdir(path.dirname(rec.localFile))).filter((n) => n.endsWith('.part') || n.endsWith('.tmp'));
    assert.deepEqual(leftovers, []);
  }

  it('takes a prompt to a named video with its sidecar, writing the ledger before Kie is asked', async () => {
    const w = await openWindow('w1');
    let ledgerAtCreate: string | undefined;
    const client = kie.client();
    const service = new TaskService({
      ledger: w.ledger,
      clock,
      ownerId: 'w1',
      client: () => ({
        ...client,
        createTask: async (family, req) => {
          ledgerAtCreate = w.ledger.all()[0]?.state;
          return client.createTask(family, req);
        },
      }),
    });
    services.push(service);
    const events: TaskEvent[] = [];
    service.onEvent((e) => events.push(e));
    const rec = await service.submit({ request: REQUEST, outputDir });
    assert.equal(ledgerAtCreate, 'submitting');
    assert.equal(rec.state, 'queued');
    assert.ok(await clock.runUntil(() => w.ledger.get(rec.id)?.state === 'completed', HOUR));
    const done = w.ledger.get(rec.id)!;
    assert.equal(path.basename(done.localFile!), 'a-red-fox-running-through-snow-00000001.mp4');
    await expectVideo(done);
    assert.deepEqual(
      done.history.map((h) => h.state),
      ['submitting', 'queued', 'generating', 'succeeded', 'downloading', 'completed'],
    );
    assert.equal(events.filter((e) => e.type === 'completed').length, 1);
    assert.deepEqual(w.ledger.durations('veo3_fast'), [60_000], "run time from Kie's createTime/completeTime, not costTime");
    assert.equal(done.creditsConsumed, FAKE_CREDITS);
  });

  it('uploads the source image first and sends its URL', async () => {
    const w = await openWindow('w1');
    const images = { first: '/work/pics/cat.png', last: '/work/pics/dog.png' };
    const rec = await w.service.submit({ request: { model: 'wan/2-7-image-to-video', prompt: 'The cat becomes a dog', images }, outputDir });
    assert.deepEqual(rec.request.images, { first: 'https://files.example.test/cat.png', last: 'https://files.example.test/dog.png' });
    assert.equal(rec.sourceImage, '/work/pics/cat.png');
    assert.deepEqual(rec.sourceImages, images);
    assert.equal(rec.family, 'jobs');
    const sent = kie.tasks.get(rec.taskId!)?.request.input;
    assert.equal(sent?.first_frame_url, 'https://files.example.test/cat.png');
    assert.equal(sent?.last_frame_url, 'https://files.example.test/dog.png');
  });

  it('refuses a model it has no spec for before anything is uploaded or sent', async () => {
    const w = await openWindow('w1');
    await assert.rejects(w.service.submit({ request: { ...REQUEST, model: 'sora-9' }, outputDir }), (e: unknown) => e instanceof KieError && e.kind === 'invalidInput' && e.field === 'model');
    assert.equal(kie.createCalls, 0);
    assert.equal(w.ledger.all().length, 0);
  });

  it('survives a restart in the middle of a task: one createTask, one video, one completed event', async () => {
    const first = await openWindow('window-1');
    const rec = await first.service.submit({ request: REQUEST, outputDir });
    await clock.advance(20_000);
    assert.equal(stateOf(first, rec.id), 'generating');
    first.service.dispose();
    await first.service.idle();

    await clock.advance(30_000);
    const second = await openWindow('window-2');
    second.service.resumeAll();
    assert.ok(await clock.runUntil(() => stateOf(second, rec.id) === 'completed', HOUR));
    await expectVideo(second.ledger.get(rec.id)!);
    assert.equal(kie.createCalls, 1);
    assert.equal(ofType(second, 'completed').length + ofType(first, 'completed').length, 1);
    assert.equal(kie.downloadCalls, 1);
  });

  it('takes over from a window that crashed, once its heartbeat is stale', async () => {
    // The crashed window lives on a clock of its own that stops when it dies: nothing it scheduled runs.
    const frozen = new VirtualClock({ start: clock.now() });
    const first = await openWindow('window-1', {}, frozen);
    first.service.resumeAll();
    const rec = await first.service.submit({ request: REQUEST, outputDir });

    const second = await openWindow('window-2', { heartbeatMs: 10_000, staleOwnerMs: 30_000 });
    second.service.resumeAll();
    await clock.advance(20_000);
    assert.equal(second.polls.gets, 0, 'does not poll a task whose owner is alive');
    assert.ok(await clock.runUntil(() => stateOf(second, rec.id) === 'completed', HOUR));
    assert.equal(second.ledger.get(rec.id)?.owner?.id, 'window-2');
    assert.equal(kie.createCalls, 1);
  });

  it('lets only one of two open windows poll, download and announce a task', async () => {
    const a = await openWindow('window-a');
    const b = await openWindow('window-b');
    a.service.resumeAll();
    b.service.resumeAll();
    const recs = await Promise.all([a.service.submit({ request: REQUEST, outputDir }), a.service.submit({ request: REQUEST, outputDir })]);
    assert.ok(await clock.runUntil(() => recs.every((r) => stateOf(a, r.id) === 'completed'), HOUR));
    await clock.advance(60_000);
    assert.equal(b.polls.gets, 0);
    assert.equal(ofType(a, 'completed').length, 2);
    assert.equal(ofType(b, 'completed').length, 0);
    assert.equal(kie.downloadCalls, 2);
    await b.ledger.reload();
    assert.ok(recs.every((r) => stateOf(b, r.id) === 'completed'), 'the other window sees the outcome');
  });

  it('rides out a network outage mid-task', async () => {
    const w = await openWindow('w1');
    const rec = await w.service.submit({ request: { ...REQUEST }, outputDir });
    const from = clock.now() + 10_000;
    const until = from + 10 * 60_000;
    kie.getError = (now) => (now >= from && now < until ? new KieError({ kind: 'network', message: 'socket hang up' }) : undefined);
    assert.ok(await clock.runUntil(() => stateOf(w, rec.id) === 'completed', 2 * HOUR));
    assert.ok(clock.now() >= until);
    assert.ok(w.service.requestStats.errors > 3);
    await expectVideo(w.ledger.get(rec.id)!);
  });

  it('rides out a storm of 455 and 5xx answers', async () => {
    const w = await openWindow('w1');
    const rec = await w.service.submit({ request: REQUEST, outputDir });
    let failures = 0;
    kie.getError = () => {
      if (failures >= 12) return undefined;
      failures++;
      return failures % 2
        ? new KieError({ kind: 'maintenance', message: 'Service unavailable', code: 455 })
        : new KieError({ kind: 'server', message: 'Internal error', code: 500, httpStatus: 500 });
    };
    assert.ok(await clock.runUntil(() => stateOf(w, rec.id) === 'completed', 2 * HOUR));
    assert.equal(failures, 12);
  });

  it('fetches a fresh link when the result URL expired before the download', async () => {
    const first = await openWindow('w1');
    const rec = await first.service.submit({ request: REQUEST, outputDir });
    first.service.dispose();
    await first.service.idle();
    await clock.advance(2 * 24 * HOUR);
    kie.expired.add(kie.urlFor(rec.taskId!));

    const second = await openWindow('w2');
    second.service.resumeAll();
    assert.ok(await clock.runUntil(() => stateOf(second, rec.id) === 'completed', HOUR));
    assert.equal(kie.refreshCalls, 1);
    await expectVideo(second.ledger.get(rec.id)!);
  });

  it('retries a download that was cut off, keeping the task succeeded meanwhile', async () => {
    const w = await openWindow('w1', { downloadRetry: { baseMs: 5000, maxAttempts: 5 } });
    kie.downloadErrors = [
      new KieError({ kind: 'downloadFailed', message: 'The connection closed after 100 of 1850 bytes.' }),
      new KieError({ kind: 'network', message: 'socket hang up' }),
    ];
    const rec = await w.service.submit({ request: REQUEST, outputDir });
    const states: string[] = [];
    w.service.onEvent((e) => e.task.id === rec.id && states.push(e.task.state));
    assert.ok(await clock.runUntil(() => stateOf(w, rec.id) === 'completed', HOUR));
    assert.equal(kie.downloadCalls, 3);
    assert.ok(!states.includes('failed'));
    assert.ok(states.includes('succeeded'));
    await expectVideo(w.ledger.get(rec.id)!);
  });

  it('after repeated download failures marks the task failed but resumable, and resuming gets the video', async () => {
    const w = await openWindow('w1', { downloadRetry: { baseMs: 1000, maxAttempts: 3 } });
    kie.downloadErrors = [1, 2, 3].map(() => new KieError({ kind: 'downloadFailed', message: 'cut off' }));
    const rec = await w.service.submit({ request: REQUEST, outputDir });
    assert.ok(await clock.runUntil(() => stateOf(w, rec.id) === 'failed', HOUR));
    const failed = w.ledger.get(rec.id)!;
    assert.equal(failed.error?.kind, 'downloadFailed');
    assert.deepEqual(failed.resultUrls, [kie.urlFor(rec.taskId!)]);
    assert.equal(ofType(w, 'failed').length, 1);
    await w.service.resume(rec.id);
    assert.ok(await clock.runUntil(() => stateOf(w, rec.id) === 'completed', HOUR));
    await expectVideo(w.ledger.get(rec.id)!);
  });

  it('marks a createTask whose answer timed out as unknown and never sends it again', async () => {
    const w = await openWindow('w1');
    kie.createError = new KieError({ kind: 'timeout', message: 'No answer within 30000 ms.' });
    await assert.rejects(w.service.submit({ request: REQUEST, outputDir }), (e: unknown) => e instanceof KieError && e.kind === 'mayExist');
    const [rec] = w.ledger.all();
    assert.equal(rec.state, 'unknown');
    assert.equal(rec.error?.kind, 'mayExist');
    assert.match(rec.error!.message, /not sent again/);
    w.service.dispose();

    const again = await openWindow('w2');
    again.service.resumeAll();
    await clock.advance(HOUR);
    assert.equal(kie.createCalls, 1);
    assert.equal(stateOf(again, rec.id), 'unknown');
  });

  it('marks a createTask Kie refused as failed with its reason', async () => {
    const w = await openWindow('w1');
    kie.createError = new KieError({ kind: 'insufficientCredits', message: 'Credits insufficient', code: 402, detail: 'Credits insufficient' });
    await assert.rejects(w.service.submit({ request: REQUEST, outputDir }));
    const [rec] = w.ledger.all();
    assert.equal(rec.state, 'failed');
    assert.equal(rec.error?.kind, 'insufficientCredits');
    assert.equal(ofType(w, 'failed').length, 1);
  });

  it('turns a submission a crash interrupted into unknown on the next start, without resending', async () => {
    const w = await openWindow('w1');
    const now = clock.now();
    await w.ledger.add({
      id: 'crashed',
      model: 'veo3_fast',
      family: 'veo',
      request: REQUEST,
      outputDir,
      createdAt: now,
      updatedAt: now,
      state: 'submitting',
      history: [],
      owner: { id: 'dead-window', heartbeatAt: now - 60_000 },
    });
    w.service.resumeAll();
    await clock.advance(1000);
    assert.equal(stateOf(w, 'crashed'), 'unknown');
    assert.equal(kie.createCalls, 0);
  });

  it('reports a Kie failure with its message and the task id', async () => {
    const w = await openWindow('w1');
    kie.nextFail = { failMsg: 'Invalid prompt: prompt contains prohibited content', failCode: '422' };
    const rec = await w.service.submit({ request: REQUEST, outputDir });
    assert.ok(await clock.runUntil(() => stateOf(w, rec.id) === 'failed', HOUR));
    const [failed] = ofType(w, 'failed');
    assert.equal(failed.taskId, rec.taskId);
    assert.equal(failed.error?.kind, 'generationFailed');
    assert.equal(failed.error?.detail, 'Invalid prompt: prompt contains prohibited content');
    assert.equal(failed.error?.failCode, '422');
    assert.ok(failed.error?.message.includes(rec.taskId!));
  });

  it('says once that a task is overdue and keeps polling it until it finishes', async () => {
    const w = await openWindow('w1', { heartbeatMs: 60_000, staleOwnerMs: 180_000 });
    kie.durationMs = 3 * HOUR;
    const rec = await w.service.submit({ request: REQUEST, outputDir });
    assert.ok(await clock.runUntil(() => ofType(w, 'overdue').length > 0, HOUR));
    assert.ok(clock.now() - rec.createdAt > 5 * 60_000);
    assert.ok(await clock.runUntil(() => stateOf(w, rec.id) === 'completed', 4 * HOUR));
    assert.equal(ofType(w, 'overdue').length, 1);
    assert.ok(w.ledger.get(rec.id)!.overdueNotifiedAt);
  });

  it('stops waiting on request and carries on when resumed', async () => {
    const w = await openWindow('w1');
    const rec = await w.service.submit({ request: REQUEST, outputDir });
    await clock.advance(10_000);
    await w.service.stop(rec.id);
    assert.equal(stateOf(w, rec.id), 'stopped');
    const gets = w.polls.gets;
    await clock.advance(HOUR);
    assert.equal(w.polls.gets, gets);
    assert.deepEqual(w.service.running(), []);
    await w.service.resume(rec.id);
    assert.ok(await clock.runUntil(() => stateOf(w, rec.id) === 'completed', HOUR));
    await expectVideo(w.ledger.get(rec.id)!);
  });

  it('removes a task from the history but keeps its video', async () => {
    const w = await openWindow('w1');
    const rec = await w.service.submit({ request: REQUEST, outputDir });
    assert.ok(await clock.runUntil(() => stateOf(w, rec.id) === 'completed', HOUR));
    const file = w.ledger.get(rec.id)!.localFile!;
    await w.service.remove(rec.id);
    assert.equal(w.ledger.get(rec.id), undefined);
    assert.deepEqual(await fs.readFile(file), VIDEO_BYTES);
  });

  it('never overwrites a different file that already has the name', async () => {
    const w = await openWindow('w1');
    await fs.mkdir(outputDir, { recursive: true });
    const taken = path.join(outputDir, 'a-red-fox-running-through-snow-00000001.mp4');
    await fs.writeFile(taken, 'my own edit');
    const rec = await w.service.submit({ request: REQUEST, outputDir });
    assert.ok(await clock.runUntil(() => stateOf(w, rec.id) === 'completed', HOUR));
    assert.equal(await fs.readFile(taken, 'utf8'), 'my own edit');
    assert.equal(path.basename(w.ledger.get(rec.id)!.localFile!), 'a-red-fox-running-through-snow-00000001-1.mp4');
  });

  it('spreads a burst of submissions over Kie’s limit of 20 creations per 10 s', async () => {
    const w = await openWindow('w1');
    kie.durationMs = 5000;
    const submitted = Promise.all(Array.from({ length: 45 }, (_, i) => w.service.submit({ request: { ...REQUEST, prompt: `clip ${i}` }, outputDir })));
    assert.ok(await clock.runUntil(() => kie.createCalls === 45, HOUR));
    const recs = await submitted;
    const times = kie.createTimes;
    for (const t of times) assert.ok(times.filter((u) => u >= t && u < t + 10_000).length <= 20);
    assert.ok(await clock.runUntil(() => recs.every((r) => stateOf(w, r.id) === 'completed'), HOUR));
  });

  it('waits without losing anything while no API key is set', async () => {
    const ledger = await TaskLedger.open(ledgerFile, { clock });
    let client: ReturnType<FakeKie['client']> | undefined = kie.client();
    const service = new TaskService({ ledger, client: () => client, clock, ownerId: 'w1' });
    services.push(service);
    const rec = await service.submit({ request: REQUEST, outputDir });
    client = undefined;
    await clock.advance(HOUR);
    assert.equal(ledger.get(rec.id)?.state, 'queued');
    client = kie.client();
    assert.ok(await clock.runUntil(() => ledger.get(rec.id)?.state === 'completed', HOUR));
  });

  describe('the wall clock set back an hour', () => {
    it('does not stop polling: the running task finishes and is downloaded', async () => {
      const w = await openWindow('w1');
      kie.durationMs = 120_000;
      const rec = await w.service.submit({ request: REQUEST, outputDir });
      await clock.advance(30_000);
      assert.equal(stateOf(w, rec.id), 'generating');
      const polled = kie.getCalls;
      clock.setWallClock(clock.now() - HOUR);
      assert.ok(await clock.runUntil(() => stateOf(w, rec.id) === 'completed', 10 * 60_000), 'finished within minutes, not an hour');
      assert.ok(kie.getCalls > polled);
      await expectVideo(w.ledger.get(rec.id)!);
    });

    it('does not hold back submissions for an hour once the creation budget was full', async () => {
      const w = await openWindow('w1', { maxCreatesPer10s: 2 });
      await Promise.all([0, 1].map((i) => w.service.submit({ request: { ...REQUEST, prompt: `clip ${i}` }, outputDir })));
      clock.setWallClock(clock.now() - HOUR);
      const third = w.service.submit({ request: { ...REQUEST, prompt: 'clip 2' }, outputDir });
      assert.ok(await clock.runUntil(() => kie.createCalls === 3, 60_000), 'sent once the 10 s window passed');
      await third;
    });

    it('takes over a dead window\'s tasks although their heartbeat now lies in the future', async () => {
      const first = await openWindow('w1', {}, new VirtualClock({ start: clock.now() }));
      const rec = await first.service.submit({ request: REQUEST, outputDir });
      // w1 dies (its clock never moves again); then this machine's clock goes back an hour.
      clock.setWallClock(clock.now() - HOUR);
      const second = await openWindow('w2');
      second.service.resumeAll();
      assert.ok(await clock.runUntil(() => stateOf(second, rec.id) === 'completed', 10 * 60_000));
      assert.equal(second.ledger.get(rec.id)?.owner?.id, 'w2');
    });
  });

  describe('a success without result URLs', () => {
    it('is polled again and downloaded once the URLs appear', async () => {
      const w = await openWindow('w1');
      kie.nextEmptySuccesses = 3;
      const rec = await w.service.submit({ request: REQUEST, outputDir });
      assert.ok(await clock.runUntil(() => stateOf(w, rec.id) === 'completed', HOUR));
      await expectVideo(w.ledger.get(rec.id)!);
      assert.deepEqual(ofType(w, 'failed'), []);
    });

    it('stays resumable when they never come, and resuming gets the video', async () => {
      const w = await openWindow('w1');
      kie.nextEmptySuccesses = Number.MAX_SAFE_INTEGER;
      const rec = await w.service.submit({ request: REQUEST, outputDir });
      assert.ok(await clock.runUntil(() => stateOf(w, rec.id) === 'failed', HOUR));
      const failed = w.ledger.get(rec.id)!;
      assert.ok(isResumable(failed), 'not a dead end');
      assert.ok(kie.getCalls > EMPTY_SUCCESS_REPOLLS, `asked again (${kie.getCalls} polls)`);

      kie.tasks.get(rec.taskId!)!.emptySuccesses = 0;
      await w.service.resume(rec.id);
      assert.ok(await clock.runUntil(() => stateOf(w, rec.id) === 'completed', HOUR));
      await expectVideo(w.ledger.get(rec.id)!);
      assert.equal(kie.createCalls, 1);
    });
  });

  describe('poll failures', () => {
    const problems = (w: Window) => w.events.filter((e): e is Extract<TaskEvent, { type: 'pollProblem' }> => e.type === 'pollProblem');

    for (const [kind, code] of [['unauthorized', 401], ['insufficientCredits', 402]] as const) {
      it(`tells about ${kind} (${code}) on recordInfo at the first failure, once, and keeps the task`, async () => {
        const w = await openWindow('w1');
        const rec = await w.service.submit({ request: REQUEST, outputDir });
        kie.getError = () => new KieError({ kind, message: `Kie said ${code}`, code });
        await clock.advance(10 * 60_000);
        assert.ok(kie.getCalls >= 3, `kept polling (${kie.getCalls})`);
        assert.deepEqual(problems(w).map((e) => [e.task.id, e.error.kind]), [[rec.id, kind]]);
        kie.getError = undefined;
        assert.ok(await clock.runUntil(() => stateOf(w, rec.id) === 'completed', HOUR), 'finishes once the key or balance is fixed');
      });
    }

    it('tells about other failures only after a few in a row, and again after polling recovered and failed anew', async () => {
      const w = await openWindow('w1');
      kie.durationMs = 10 * HOUR;
      await w.service.submit({ request: { ...REQUEST, prompt: 'slow one' }, outputDir });
      let failing = true;
      kie.getError = () => (failing ? new KieError({ kind: 'network', message: 'socket hang up' }) : undefined);
      let calls = 0;
      const counted = kie.getError;
      kie.getError = (now) => {
        const e = counted(now);
        if (e) calls++;
        return e;
      };
      assert.ok(await clock.runUntil(() => calls >= POLL_FAILURES_BEFORE_TELLING - 1, HOUR));
      assert.equal(problems(w).length, 0, 'a passing glitch is not worth a notification');
      assert.ok(await clock.runUntil(() => problems(w).length === 1, HOUR));
      assert.equal(problems(w)[0].error.kind, 'network');
      await clock.advance(30 * 60_000);
      assert.equal(problems(w).length, 1, 'told once per trouble');
      failing = false;
      await clock.advance(5 * 60_000);
      failing = true;
      assert.ok(await clock.runUntil(() => problems(w).length === 2, HOUR));
    });
  });

  describe('the ledger write after Kie accepted', () => {
    /** Another window holding the ledger's lock, as a stuck process would. */
    const holdLock = () => writeFileSync(`${ledgerFile}.lock`, 'a stuck window');
    const releaseLock = () => rmSync(`${ledgerFile}.lock`, { force: true });

    async function lockedWindow(): Promise<Window> {
      const ledger = await TaskLedger.open(ledgerFile, { clock, lockWaitMs: 30 });
      const polls = { gets: 0 };
      const client = kie.client(polls);
      const service = new TaskService({ ledger, client: () => client, clock, ownerId: 'w1', ledgerRetryMs: [20, 20, 20] });
      services.push(service);
      const events: TaskEvent[] = [];
      service.onEvent((e) => events.push(e));
      return { ledger, service, events, polls };
    }

    it('logs the task id at once and retries the write until it lands', async () => {
      const w = await lockedWindow();
      let ledgerAtAccept: TaskRecord | undefined;
      w.service.onEvent((e) => {
        if (e.type === 'accepted') ledgerAtAccept = w.ledger.get(e.task.id);
      });
      kie.onCreate = () => {
        holdLock();
        setTimeout(releaseLock, 50);
      };
      const rec = await w.service.submit({ request: REQUEST, outputDir });
      assert.equal(rec.state, 'queued');
      assert.ok(rec.taskId);
      const [accepted] = ofType(w, 'accepted');
      assert.equal(accepted.taskId, rec.taskId, 'the id was announced');
      assert.equal(ledgerAtAccept?.taskId, undefined, 'before it was written');
      assert.ok(await clock.runUntil(() => stateOf(w, rec.id) === 'completed', HOUR));
      assert.equal(kie.createCalls, 1);
    });

    it('keeps the id in memory when every attempt fails, writes it on a later heartbeat and finishes the task', async () => {
      const w = await lockedWindow();
      kie.onCreate = holdLock;
      const err = await w.service.submit({ request: REQUEST, outputDir }).then(
        () => assert.fail('the write cannot have succeeded'),
        (e: unknown) => e as Error,
      );
      const [accepted] = ofType(w, 'accepted');
      assert.ok(accepted.taskId);
      assert.ok(err.message.includes(accepted.taskId), 'the error names the task id');
      await clock.advance(60_000);
      assert.equal(stateOf(w, accepted.id), 'submitting', 'not settled as unknown while the id is held');
      releaseLock();
      assert.ok(await clock.runUntil(() => stateOf(w, accepted.id) === 'completed', HOUR));
      assert.equal(w.ledger.get(accepted.id)?.taskId, accepted.taskId);
      assert.equal(kie.createCalls, 1);
    });
  });
});

import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KieError, type KieErrorKind } from '../../../src/core/kie/errors';
import { DEFAULT_USER_AGENT, type KieClient } from '../../../src/core/kie/kieClient';
import { fixtureVideoPath } from '../../../src/simulator/fixture';
import { startSimulator, type ForcedError, type Simulator } from '../../../src/simulator/server';
import { findBundled } from '../../../src/core/models/bundledSpecs';
import { buildRequest, type ModelRequest } from '../../../src/core/models/requestBuilder';
import type { VideoChoices } from '../../../src/core/models/spec';
import type { ApiFamily } from '../../../src/core/types';
import { clientFor, kieError, freePort } from './kieClientHarness';

/** A request as the task service sends it: the family and the body the model layer built. */
function request(model: string, choices: VideoChoices): [ApiFamily, ModelRequest] {
  const spec = findBundled(model);
  if (!spec) throw new Error(`no bundled spec ${model}`);
  return [spec.family, buildRequest(spec, choices)];
}

const SORA = request('sora-2-text-to-video', { prompt: 'A lighthouse at dawn', aspect: 'landscape', duration: 15, options: { remove_watermark: true } });
const SORA_PRO_IMAGE = request('sora-2-pro-image-to-video', {
  prompt: 'The cat turns its head',
  aspect: 'portrait',
  duration: 10,
  options: { remove_watermark: false, size: 'high' },
  images: { first: 'https://example.com/cat.png' },
});
const VEO_CHOICES: VideoChoices = { prompt: 'Waves on rocks', aspect: '9:16', duration: 8 };
const VEO = request('veo3_fast', VEO_CHOICES);

const CREATE = '/api/v1/jobs/createTask';
const RECORD = '/api/v1/jobs/recordInfo';
const VEO_CREATE = '/api/v1/veo/generate';
const CREDIT = '/api/v1/chat/credit';
const REFRESH = '/api/v1/common/download-url';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('KieClient against the simulator', () => {
  let sim: Simulator;
  let clock = 1_800_000_000_000;
  const opened: KieClient[] = [];
  let dir: string;

  before(async () => {
    // These tests drive the client with the Sora requests its builder makes today: the Kie of before June 2026.
    sim = await startSimulator({ now: () => clock, defaultDurationMs: 10_000, requireUserAgent: true, soraEnabled: true });
  });
  after(async () => {
    await sim.close();
  });
  beforeEach(() => {
    sim.reset();
    dir = mkdtempSync(join(tmpdir(), 'sora-client-'));
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  const advance = (ms: number): void => {
    clock += ms;
  };

  describe('createTask', () => {
    it('sends every jobs input explicitly with a descriptive User-Agent and Bearer key', async () => {
      const { client } = clientFor(sim, opened);
      const taskId = await client.createTask(...SORA);
      assert.ok(taskId.length > 0);
      const req = sim.requests.find((r) => r.path === CREATE);
      assert.ok(req);
      assert.deepEqual(req.body, { model: 'sora-2-text-to-video', input: { prompt: 'A lighthouse at dawn', aspect_ratio: 'landscape', n_frames: '15', remove_watermark: true, upload_method: 's3' } });
      assert.equal(req.auth, 'valid');
      assert.equal(req.headers['user-agent'], DEFAULT_USER_AGENT);
      assert.match(DEFAULT_USER_AGENT, /^sora-video-vscode\/\d+\.\d+\.\d+ /);
      assert.equal(req.headers['content-type'], 'application/json');
      assert.equal(sim.task(taskId)?.model, 'sora-2-text-to-video');
    });

    it('sends size and image_urls for Sora 2 Pro image-to-video', async () => {
      const { client } = clientFor(sim, opened);
      await client.createTask(...SORA_PRO_IMAGE);
      assert.deepEqual(sim.requests.find((r) => r.path === CREATE)?.body, {
        model: 'sora-2-pro-image-to-video',
        input: { prompt: 'The cat turns its head', aspect_ratio: 'portrait', n_frames: '10', remove_watermark: false, size: 'high', image_urls: ['https://example.com/cat.png'], upload_method: 's3' },
      });
    });

    it('creates Veo tasks with 9:16 and first-and-last-frames when an image is given', async () => {
      const { client } = clientFor(sim, opened);
      const a = await client.createTask(...VEO);
      const b = await client.createTask(...request('veo3', { ...VEO_CHOICES, aspect: '16:9', resolution: '4k', images: { first: 'https://example.com/a.png' } }));
      const bodies = sim.requests.filter((r) => r.path === VEO_CREATE).map((r) => r.body);
      const common = { prompt: 'Waves on rocks', duration: 8, enableTranslation: true };
      assert.deepEqual(bodies, [
        { ...common, model: 'veo3_fast', aspect_ratio: '9:16', resolution: '1080p', generationType: 'TEXT_2_VIDEO' },
        { ...common, model: 'veo3', aspect_ratio: '16:9', resolution: '4k', generationType: 'FIRST_AND_LAST_FRAMES_2_VIDEO', imageUrls: ['https://example.com/a.png'] },
      ]);
      assert.equal(sim.task(a)?.family, 'veo');
      assert.equal(sim.task(b)?.model, 'veo3');
    });

    it('reports an unpublished model as modelUnavailable with the catalog alternative', async () => {
      sim.setUnpublishedModels(['sora-2-text-to-video', 'veo3']);
      const { client } = clientFor(sim, opened);
      const e = await kieError(client.createTask(...SORA));
      assert.equal(e.kind, 'modelUnavailable');
      assert.equal(e.alternativeModel, 'veo3_fast');
      assert.equal(e.detail, 'The model name you specified is not supported. Please verify your input and use one of the supported models provided by KIE.');
      const v = await kieError(client.createTask(...request('veo3', VEO_CHOICES)));
      assert.equal(v.kind, 'modelUnavailable');
      assert.equal(v.alternativeModel, 'veo3_fast');
    });

    const notRetried: Array<[string, ForcedError, KieErrorKind]> = [
      ['HTTP 500', { kind: 'code', code: 500, httpStatus: 500 }, 'server'],
      ['code 500 in an HTTP 200 body', { kind: 'code', code: 500 }, 'server'],
      ['455 maintenance', { kind: 'code', code: 455 }, 'maintenance'],
      ['a dropped connection', { kind: 'drop' }, 'network'],
      ['an answer slower than the timeout', { kind: 'slow', delayMs: 1500 }, 'timeout'],
      ['a truncated body', { kind: 'truncate', afterBytes: 10 }, 'network'],
      ['a malformed body', { kind: 'malformed', body: '{"code":200,' }, 'badResponse'],
    ];
    for (const [what, forced, kind] of notRetried) {
      it(`is sent exactly once on ${what} (kind ${kind})`, async () => {
        sim.failNext(CREATE, forced, 3);
        const { client, sleeps } = clientFor(sim, opened, { requestTimeoutMs: 500 });
        const e = await kieError(client.createTask(...SORA));
        assert.equal(e.kind, kind, e.message);
        assert.equal(sim.count(CREATE), 1);
        assert.deepEqual(sleeps, []);
      });
    }

    it('is sent again after a 429 once Retry-After has passed, since Kie did not queue it', async () => {
      sim.failNext(CREATE, { kind: 'code', code: 429, retryAfterSec: 1 }, 1);
      const { client, sleeps } = clientFor(sim, opened);
      const taskId = await client.createTask(...SORA);
      assert.ok(sim.task(taskId));
      assert.equal(sim.count(CREATE), 2);
      assert.deepEqual(sleeps, [1000]);
    });

    it('gives up on a lasting 429 with a rateLimited error that says to wait', async () => {
      sim.failNext(CREATE, { kind: 'code', code: 429, retryAfterSec: 1 }, 10);
      const { client, sleeps } = clientFor(sim, opened);
      const e = await kieError(client.createTask(...SORA));
      assert.equal(e.kind, 'rateLimited');
      assert.equal(e.retryAfterMs, 1000);
      assert.match(e.message, /wait/);
      assert.equal(e.next, 'wait');
      assert.equal(sim.count(CREATE), sleeps.length + 1);
      assert.ok(sleeps.every((ms) => ms >= 1000));
    });

    it('is retried when the connection is refused, since nothing was sent', async () => {
      const port = await freePort();
      const { client, sleeps, logs } = clientFor(sim, opened, { apiBaseUrl: `http://127.0.0.1:${port}` });
      const e = await kieError(client.createTask(...SORA));
      assert.equal(e.kind, 'network');
      assert.match(e.message, /ECONNREFUSED/);
      assert.equal(sleeps.length, 3);
      assert.deepEqual(logs.map((l) => l.attempt), [1, 2, 3, 4]);
    });

    it('surfaces insufficient credits', async () => {
      sim.setCredits(1);
      const { client } = clientFor(sim, opened);
      const e = await kieError(client.createTask(...SORA));
      assert.equal(e.kind, 'insufficientCredits');
      assert.equal(e.next, 'topUp');
      assert.equal(e.detail, 'The current credits are insufficient. Please top up.');
    });

    const codes: Array<[ForcedError, KieErrorKind]> = [
      [{ kind: 'code', code: 500, msg: 'This field is required' }, 'validation'],
      [{ kind: 'code', code: 501 }, 'generationFailed'],
      [{ kind: 'code', code: 505 }, 'featureDisabled'],
      [{ kind: 'code', code: 400 }, 'validation'],
      [{ kind: 'code', code: 422, msg: 'prompt contains prohibited content' }, 'validation'],
      [{ kind: 'code', code: 404 }, 'notFound'],
      [{ kind: 'code', code: 402, useMessageField: true }, 'insufficientCredits'],
    ];
    for (const [forced, kind] of codes) {
      const label = forced.kind === 'code' ? `${forced.code}${forced.msg ? ` "${forced.msg}"` : ''}${forced.useMessageField ? ' with `message`' : ''}` : forced.kind;
      it(`maps ${label} to ${kind}`, async () => {
        sim.failNext(CREATE, forced);
        const { client } = clientFor(sim, opened);
        const e = await kieError(client.createTask(...SORA));
        assert.equal(e.kind, kind);
        assert.ok(e.detail && e.detail.length > 0, 'carries Kie’s message');
      });
    }
  });

  describe('getTask', () => {
    it('follows a jobs task through waiting, queuing, generating and success', async () => {
      const { client } = clientFor(sim, opened);
      sim.scriptNextTasks({ states: [{ state: 'waiting', afterMs: 0 }, { state: 'queuing', afterMs: 1000 }, { state: 'generating', afterMs: 2000 }, { state: 'success', afterMs: 3000 }], costTime: 2500 });
      const id = await client.createTask(...SORA);
      const seen: string[] = [];
      for (let i = 0; i < 4; i++) {
        const s = await client.getTask('jobs', id);
        seen.push(`${s.rawState}:${s.status}`);
        if (s.status === 'success') {
          assert.deepEqual(s.resultUrls, sim.task(id)?.resultUrls);
          assert.ok(s.resultUrls[0].startsWith(`${sim.url}/files/`));
          assert.equal(s.watermarkUrls.length, 1);
          assert.equal(s.costTimeMs, 2500);
          assert.equal(s.failCode, undefined);
        } else {
          assert.deepEqual(s.resultUrls, []);
        }
        advance(1000);
      }
      assert.deepEqual(seen, ['waiting:queued', 'queuing:queued', 'generating:generating', 'success:success']);
    });

    it('reads empty fields whether they come as "" or null', async () => {
      const { client } = clientFor(sim, opened);
      for (const emptyAs of ['null', 'empty-string'] as const) {
        sim.setQuirks({ emptyAs });
        const id = await client.createTask(...SORA);
        const s = await client.getTask('jobs', id);
        assert.equal(s.status, 'queued');
        assert.deepEqual(s.resultUrls, []);
        assert.equal(s.failCode, undefined);
        assert.equal(s.failMsg, undefined);
      }
    });

    it('reports a failed jobs task with failCode and failMsg', async () => {
      const { client } = clientFor(sim, opened);
      sim.scriptNextTasks({ durationMs: 1000, failCode: '422', failMsg: 'Invalid prompt: prompt contains prohibited content' });
      const id = await client.createTask(...SORA);
      advance(1000);
      const s = await client.getTask('jobs', id);
      assert.equal(s.status, 'failed');
      assert.equal(s.rawState, 'fail');
      assert.equal(s.failCode, '422');
      assert.equal(s.failMsg, 'Invalid prompt: prompt contains prohibited content');
    });

    for (const urlsAs of ['array', 'string'] as const) {
      it(`follows a Veo task to success with resultUrls as ${urlsAs === 'array' ? 'an array' : 'a JSON string'}`, async () => {
        sim.setQuirks({ veoResultUrlsAs: urlsAs });
        const { client } = clientFor(sim, opened);
        const id = await client.createTask(...VEO);
        const first = await client.getTask('veo', id);
        assert.equal(first.status, 'generating');
        assert.equal(first.rawState, 'successFlag=0');
        advance(10_000);
        const done = await client.getTask('veo', id);
        assert.equal(done.status, 'success');
        assert.equal(done.rawState, 'successFlag=1');
        assert.deepEqual(done.resultUrls, sim.task(id)?.resultUrls);
        assert.equal(done.resultUrls.length, 1);
      });
    }

    for (const flag of [2, 3] as const) {
      it(`reports Veo successFlag ${flag} as failed`, async () => {
        const { client } = clientFor(sim, opened);
        sim.scriptNextTasks({ durationMs: 500, failMsg: 'Prompt rejected', veoFailFlag: flag });
        const id = await client.createTask(...VEO);
        advance(500);
        const s = await client.getTask('veo', id);
        assert.equal(s.status, 'failed');
        assert.equal(s.rawState, `successFlag=${flag}`);
        assert.equal(s.failMsg, 'Prompt rejected');
      });
    }

    it('reports an unknown task as notFound without retrying', async () => {
      const { client, sleeps } = clientFor(sim, opened);
      const e = await kieError(client.getTask('jobs', 'task_does_not_exist'));
      assert.equal(e.kind, 'notFound');
      assert.equal(e.detail, 'recordInfo is null');
      assert.equal(e.taskId, 'task_does_not_exist');
      assert.equal(sim.count(RECORD), 1);
      assert.deepEqual(sleeps, []);
    });

    const transient: Array<[string, ForcedError]> = [
      ['455', { kind: 'code', code: 455 }],
      ['500', { kind: 'code', code: 500, httpStatus: 500 }],
      ['HTTP 502 HTML', { kind: 'malformed', body: '<html>502 Bad Gateway</html>', httpStatus: 502 }],
      ['a dropped connection', { kind: 'drop' }],
      ['a truncated body', { kind: 'truncate', afterBytes: 12 }],
      ['a malformed body', { kind: 'malformed', body: '{"code":200,' }],
    ];
    for (const [what, forced] of transient) {
      it(`retries recordInfo after ${what} and succeeds`, async () => {
        const { client, sleeps } = clientFor(sim, opened);
        const id = await client.createTask(...SORA);
        sim.failNext(RECORD, forced);
        const s = await client.getTask('jobs', id);
        assert.equal(s.taskId, id);
        assert.equal(sim.count(RECORD), 2);
        assert.equal(sleeps.length, 1);
      });
    }

    it('honours Retry-After on 429 before retrying recordInfo', async () => {
      const { client, sleeps, logs } = clientFor(sim, opened);
      const id = await client.createTask(...SORA);
      sim.failNext(RECORD, { kind: 'code', code: 429, retryAfterSec: 2 });
      const s = await client.getTask('jobs', id);
      assert.equal(s.status, 'queued');
      assert.deepEqual(sleeps, [2000]);
      assert.deepEqual(
        logs.filter((l) => l.path.startsWith(RECORD)).map((l) => [l.status, l.attempt]),
        [
          [429, 1],
          [200, 2],
        ],
      );
    });

    it('waits out the simulator’s per-second query limit and then succeeds', async () => {
      const waits: number[] = [];
      const sleep = async (ms: number): Promise<void> => {
        waits.push(ms);
        advance(ms);
      };
      const { client } = clientFor(sim, opened, { retry: { sleep } });
      const id = await client.createTask(...SORA);
      sim.setRateLimit(2);
      for (let i = 0; i < 3; i++) assert.equal((await client.getTask('jobs', id)).taskId, id);
      assert.equal(waits.length, 1);
      assert.ok(waits[0] > 0, 'waits as long as Retry-After says');
      assert.equal(sim.count(RECORD), 4);
    });

    it('gives up after maxAttempts on a persistent 455', async () => {
      const { client, sleeps } = clientFor(sim, opened);
      const id = await client.createTask(...SORA);
      sim.failNext(RECORD, { kind: 'code', code: 455 }, 10);
      const e = await kieError(client.getTask('jobs', id));
      assert.equal(e.kind, 'maintenance');
      assert.equal(sim.count(RECORD), 4);
      assert.equal(sleeps.length, 3);
    });

    it('stops retrying when the caller aborts', async () => {
      const { client } = clientFor(sim, opened, { retry: { sleep: undefined, baseDelayMs: 60_000, maxDelayMs: 60_000 } });
      const id = await client.createTask(...SORA);
      sim.failNext(RECORD, { kind: 'code', code: 455 }, 10);
      const ac = new AbortController();
      const pending = client.getTask('jobs', id, ac.signal);
      await new Promise((r) => setTimeout(r, 50));
      ac.abort();
      const e = await kieError(pending);
      assert.equal(e.kind, 'cancelled');
    });
  });

  describe('authentication and odd answers', () => {
    it('treats HTTP 200 with a 401 body as unauthorized and does not retry', async () => {
      const { client, sleeps } = clientFor(sim, opened, { apiKey: 'wrong-key' });
      const e = await kieError(client.getCredits());
      assert.equal(e.kind, 'unauthorized');
      assert.equal(e.httpStatus, 200);
      assert.equal(e.code, 401);
      assert.equal(e.next, 'setApiKey');
      assert.equal(sim.count(CREDIT), 1);
      assert.deepEqual(sleeps, []);
    });

    it("explains Cloudflare's 1010 answer to a bare User-Agent", async () => {
      const { client } = clientFor(sim, opened, { userAgent: 'node' });
      const e = await kieError(client.createTask(...SORA));
      assert.equal(e.kind, 'badResponse');
      assert.equal(e.httpStatus, 403);
      assert.match(e.message, /User-Agent/);
      assert.equal(sim.count(CREATE), 1);
    });

    it('trims a pasted key and refuses an empty one', async () => {
      const { client } = clientFor(sim, opened, { apiKey: `  ${sim.apiKey}\n` });
      assert.equal(await client.getCredits(), 10_000);
      assert.throws(() => clientFor(sim, opened, { apiKey: ' ' }), (e: unknown) => e instanceof KieError && e.kind === 'unauthorized');
    });

    it('never logs the API key', async () => {
      const { client, logs } = clientFor(sim, opened);
      await client.getCredits();
      await client.createTask(...SORA);
      assert.ok(logs.length >= 2);
      assert.ok(!JSON.stringify(logs).includes(sim.apiKey));
      assert.deepEqual(logs[0], { ...logs[0], method: 'GET', path: CREDIT, status: 200, code: 200, attempt: 1 });
    });
  });

  describe('getCredits and refreshDownloadUrl', () => {
    it('reads the credit balance', async () => {
      sim.setCredits(1234);
      const { client } = clientFor(sim, opened);
      assert.equal(await client.getCredits(), 1234);
    });

    it('retries the credit query after a 5xx', async () => {
      sim.failNext(CREDIT, { kind: 'code', code: 500, httpStatus: 503 });
      const { client } = clientFor(sim, opened);
      assert.equal(await client.getCredits(), 10_000);
      assert.equal(sim.count(CREDIT), 2);
    });

    it('gets a fresh URL for a Kie result and refuses other URLs', async () => {
      const { client } = clientFor(sim, opened);
      const id = await client.createTask(...SORA);
      advance(10_000);
      const [url] = (await client.getTask('jobs', id)).resultUrls;
      const fresh = await client.refreshDownloadUrl(url);
      assert.ok(fresh.startsWith(`${sim.url}/files/`));
      assert.notEqual(fresh, url);
      const e = await kieError(client.refreshDownloadUrl('https://example.com/a.mp4'));
      assert.equal(e.kind, 'validation');
    });
  });

  describe('download', () => {
    const fixture = readFileSync(fixtureVideoPath());

    async function finishedTask(client: KieClient): Promise<string> {
      const id = await client.createTask(...SORA);
      advance(10_000);
      const s = await client.getTask('jobs', id);
      assert.equal(s.status, 'success');
      return s.resultUrls[0];
    }

    it('streams the result to disk byte for byte and reports progress', async () => {
      const { client } = clientFor(sim, opened);
      const url = await finishedTask(client);
      const target = join(dir, 'clip.mp4');
      const progress: Array<[number, number | undefined]> = [];
      const out = await client.download(url, target, { onProgress: (r, t) => progress.push([r, t]) });
      assert.deepEqual(out, { path: target, bytes: fixture.length });
      assert.equal(sha(readFileSync(target)), sha(fixture));
      assert.deepEqual(progress.at(-1), [fixture.length, fixture.length]);
      assert.deepEqual(readdirSync(dir), ['clip.mp4']);
    });

    it('resumes a truncated download with Range and ends with the exact bytes', async () => {
      const { client, sleeps } = clientFor(sim, opened);
      const url = await finishedTask(client);
      sim.failNext('.mp4', { kind: 'truncate', afterBytes: 4096 });
      const target = join(dir, 'clip.mp4');
      await client.download(url, target);
      assert.equal(sha(readFileSync(target)), sha(fixture));
      const gets = sim.requests.filter((r) => r.path.startsWith('/files/'));
      assert.equal(gets.length, 2);
      assert.match(gets[1].headers.range ?? '', /^bytes=\d+-$/);
      assert.equal(gets[1].status, 206);
      assert.equal(sleeps.length, 1);
    });

    it('retries a dropped download', async () => {
      const { client } = clientFor(sim, opened);
      const url = await finishedTask(client);
      sim.failNext('.mp4', { kind: 'drop' });
      const target = join(dir, 'clip.mp4');
      await client.download(url, target);
      assert.equal(sha(readFileSync(target)), sha(fixture));
    });

    it('refreshes an expired URL once through common/download-url', async () => {
      const { client } = clientFor(sim, opened);
      const url = await finishedTask(client);
      sim.expireResultUrls();
      const target = join(dir, 'clip.mp4');
      await client.download(url, target);
      assert.equal(sha(readFileSync(target)), sha(fixture));
      assert.equal(sim.count(REFRESH), 1);
      assert.deepEqual(sim.requests.find((r) => r.path === REFRESH)?.body, { url });
    });

    it('fails cleanly when the refreshed URL is expired too', async () => {
      const { client } = clientFor(sim, opened, { retry: { maxAttempts: 2 } });
      const url = await finishedTask(client);
      sim.expireResultUrls();
      sim.failNext('.mp4', { kind: 'code', code: 404, httpStatus: 410 }, 5);
      const target = join(dir, 'clip.mp4');
      const e = await kieError(client.download(url, target));
      assert.equal(e.kind, 'downloadFailed');
      assert.equal(sim.count(REFRESH), 1);
      assert.deepEqual(readdirSync(dir), []);
    });

    it('refuses a file over maxBytes and leaves no partial file', async () => {
      const { client } = clientFor(sim, opened);
      const url = await finishedTask(client);
      const target = join(dir, 'clip.mp4');
      const e = await kieError(client.download(url, target, { maxBytes: fixture.length - 1 }));
      assert.equal(e.kind, 'downloadFailed');
      assert.match(e.message, /limit/);
      assert.equal(existsSync(target), false);
      assert.deepEqual(readdirSync(dir), []);
    });

    it('applies the client\'s maxDownloadBytes (sora.maxDownloadMB) when the caller gives no limit', async () => {
      const { client } = clientFor(sim, opened, { maxDownloadBytes: fixture.length - 1 });
      const url = await finishedTask(client);
      const e = await kieError(client.download(url, join(dir, 'clip.mp4')));
      assert.equal(e.kind, 'downloadFailed');
      assert.match(e.message, /limit/);
      assert.deepEqual(readdirSync(dir), []);
    });

    it('two windows taking over the same download mid-way keep one complete file', async () => {
      // Both transfers stop after 4 KiB and wait to resume, so each window's part file exists while
      // the other one writes: a window that deleted or appended to the other's part would leave a
      // broken video in place.
      const gate = () => {
        let open!: () => void;
        let waiting!: () => void;
        const reached = new Promise<void>((r) => (waiting = r));
        const released = new Promise<void>((r) => (open = r));
        return { reached, open, sleep: async () => (waiting(), released) };
      };
      const a = gate();
      const b = gate();
      const first = clientFor(sim, opened, { retry: { sleep: a.sleep } }).client;
      const second = clientFor(sim, opened, { retry: { sleep: b.sleep } }).client;
      const url = await finishedTask(first);
      sim.failNext('.mp4', { kind: 'truncate', afterBytes: 4096 }, 2);
      const target = join(dir, 'clip.mp4');
      const one = first.download(url, target);
      await a.reached;
      const two = second.download(url, target);
      await b.reached;
      assert.equal(readdirSync(dir).filter((n) => n.endsWith('.part')).length, 2, 'each window writes its own part file');
      a.open();
      assert.deepEqual(await one, { path: target, bytes: fixture.length });
      assert.equal(sha(readFileSync(target)), sha(fixture));
      b.open();
      assert.deepEqual(await two, { path: target, bytes: fixture.length });
      assert.equal(sha(readFileSync(target)), sha(fixture));
      assert.deepEqual(readdirSync(dir), ['clip.mp4']);
    });

    it('refuses a plain-http URL outside the API origin without requesting it', async () => {
      const { client } = clientFor(sim, opened);
      const before = sim.requests.length;
      const e = await kieError(client.download('http://example.com/video.mp4', join(dir, 'x.mp4')));
      assert.equal(e.kind, 'downloadFailed');
      assert.match(e.message, /only https/);
      assert.equal(sim.requests.length, before);
    });

    it('cancels on abort and removes the partial file', async () => {
      const { client } = clientFor(sim, opened);
      const url = await finishedTask(client);
      const ac = new AbortController();
      const target = join(dir, 'clip.mp4');
      const e = await kieError(
        client.download(url, target, {
          signal: ac.signal,
          onProgress: () => ac.abort(),
        }),
      );
      assert.equal(e.kind, 'cancelled');
      assert.deepEqual(readdirSync(dir), []);
    });
  });
});

import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { request } from 'undici';
import { fixtureVideoPath } from '../../../src/simulator/fixture';
import { multipartBoundary, parseMultipart } from '../../../src/simulator/multipart';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../../src/simulator/server';

interface Envelope<T = Record<string, unknown>> {
  code: number;
  msg?: string;
  message?: string;
  data: T;
}

interface Reply<T> {
  status: number;
  headers: Headers;
  body: T;
}

const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** A live jobs model with every field sent explicitly: 16 credits per second at 720p, 5 s = 80 credits. */
const WAN_T2V = {
  model: 'wan/2-7-text-to-video',
  input: { prompt: 'a lighthouse at dawn', ratio: '16:9', resolution: '720p', duration: 5, prompt_extend: true, watermark: false },
};
const WAN_COST = 80;

describe('Kie simulator', () => {
  let sim: Simulator;
  let clock: number;
  const fakeNow = (): number => clock;

  async function start(opts: SimulatorOptions = {}): Promise<Simulator> {
    await sim?.close();
    sim = await startSimulator({ now: fakeNow, defaultDurationMs: 1000, ...opts });
    return sim;
  }

  async function call<T = Record<string, unknown>>(
    path: string,
    init: { method?: string; body?: unknown; key?: string | null; headers?: Record<string, string> } = {},
  ): Promise<Reply<Envelope<T>>> {
    const headers: Record<string, string> = { 'User-Agent': 'sora-video-tests/1', ...init.headers };
    const key = init.key === undefined ? sim.apiKey : init.key;
    if (key !== null) headers.Authorization = `Bearer ${key}`;
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(`${sim.url}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Envelope<T> };
  }

  async function createJob(body: unknown = WAN_T2V): Promise<string> {
    const r = await call<{ taskId: string }>('/api/v1/jobs/createTask', { body });
    assert.equal(r.body.code, 200, r.body.msg);
    return r.body.data.taskId;
  }

  async function jobsRecord(taskId: string, headers?: Record<string, string>): Promise<Record<string, unknown>> {
    const r = await call(`/api/v1/jobs/recordInfo?taskId=${encodeURIComponent(taskId)}`, { headers });
    assert.equal(r.body.code, 200, r.body.msg);
    return r.body.data;
  }

  function resultUrls(record: Record<string, unknown>): { resultUrls: string[]; resultWaterMarkUrls?: string[] } {
    assert.equal(typeof record.resultJson, 'string');
    return JSON.parse(record.resultJson as string) as { resultUrls: string[]; resultWaterMarkUrls?: string[] };
  }

  async function statusOf(url: string): Promise<number> {
    const res = await fetch(url);
    await res.arrayBuffer();
    return res.status;
  }

  async function succeededUrl(): Promise<string> {
    const id = await createJob();
    clock += 1000;
    return resultUrls(await jobsRecord(id)).resultUrls[0];
  }

  beforeEach(async () => {
    clock = 1_765_184_045_509;
    await start();
  });

  afterEach(async () => {
    await sim.close();
  });

  describe('auth and envelope', () => {
    it('answers a missing or wrong key with HTTP 200 and code 401 in the body', async () => {
      for (const key of [null, 'wrong-key']) {
        const r = await call('/api/v1/chat/credit', { key });
        assert.equal(r.status, 200);
        assert.deepEqual(r.body, { code: 401, msg: 'You do not have access permissions', data: null });
      }
      assert.deepEqual(
        sim.requests.map((q) => q.auth),
        ['missing', 'invalid'],
      );
    });

    it('never keeps a key in the request log', async () => {
      await call('/api/v1/chat/credit');
      await fetch(`${sim.imgbbUrl}/1/upload?key=${sim.imgbbKey}`, { method: 'POST', body: new URLSearchParams({ image: PNG_1X1.toString('base64') }) });
      const log = JSON.stringify(sim.requests);
      assert.ok(!log.includes(sim.apiKey), log);
      assert.equal(sim.requests[0].headers.authorization, 'Bearer [redacted]');
      assert.equal(sim.requests[0].auth, 'valid');
      assert.equal(sim.requests[1].query.key, '[redacted]');
      assert.equal(sim.requests[1].auth, 'valid');
    });

    it('reports credits and spends the model\'s price on creation', async () => {
      assert.deepEqual((await call<number>('/api/v1/chat/credit')).body, { code: 200, msg: 'success', data: 10000 });
      await createJob();
      assert.equal((await call<number>('/api/v1/chat/credit')).body.data, 10000 - WAN_COST);
      sim.setCredits(10);
      const r = await call('/api/v1/jobs/createTask', { body: WAN_T2V });
      assert.equal(r.status, 200);
      assert.equal(r.body.code, 402);
      assert.equal(r.body.msg, 'The current credits are insufficient. Please top up.');
      assert.equal(sim.credits, 10);
    });

    it('spells the message field `message` when the quirk is on, globally or per request', async () => {
      const perRequest = await call('/api/v1/chat/credit', { headers: { 'X-Sim-Quirks': 'message-field' } });
      assert.equal(perRequest.body.message, 'success');
      assert.ok(!('msg' in perRequest.body));
      assert.equal((await call('/api/v1/chat/credit')).body.msg, 'success');
      sim.setQuirks({ messageField: true });
      const r = await call('/api/v1/jobs/recordInfo?taskId=nope');
      assert.deepEqual(r.body, { code: 422, message: 'recordInfo is null', data: null });
    });

    it('answers unknown paths with 404', async () => {
      const r = await call('/api/v1/nothing/here');
      assert.equal(r.status, 404);
      assert.equal(r.body.code, 404);
    });

    it('answers Cloudflare 1010 to a bare User-Agent when asked to', async () => {
      await start({ requireUserAgent: true });
      const bare = await request(`${sim.url}/api/v1/chat/credit`, { headers: { authorization: `Bearer ${sim.apiKey}` } });
      assert.equal(bare.statusCode, 403);
      assert.equal(await bare.body.text(), 'error code: 1010');
      assert.equal((await call('/api/v1/chat/credit')).body.code, 200);
    });
  });

  describe('jobs createTask', () => {
    it('issues unique task_<model>_<ms> ids, even within one millisecond, and a recordId', async () => {
      const r = await call<{ taskId: string; recordId: string }>('/api/v1/jobs/createTask', { body: WAN_T2V });
      const a = r.body.data.taskId;
      const b = await createJob();
      assert.match(a, /^task_wan\/2-7-text-to-video_\d{13}$/);
      assert.notEqual(a, b);
      assert.match(r.body.data.recordId, /^[0-9a-f]{32}$/);
      assert.notEqual(r.body.data.recordId, a);
      assert.equal(sim.task(a)?.family, 'jobs');
    });

    const UNSUPPORTED = 'The model name you specified is not supported. Please verify your input and use one of the supported models provided by KIE.';
    const wanInput = (over: Record<string, unknown>): Record<string, unknown> => ({ ...WAN_T2V, input: { ...WAN_T2V.input, ...over } });
    const invalid: Array<[string, unknown, number, string | RegExp]> = [
      ['an unknown model', { ...WAN_T2V, model: 'wan/9-9-text-to-video' }, 422, UNSUPPORTED],
      ['a Veo tier on the jobs API', { ...WAN_T2V, model: 'veo3_fast' }, 422, UNSUPPORTED],
      ['a missing model', { input: WAN_T2V.input }, 500, 'model is required'],
      ['a missing prompt', { model: 'wan/2-7-text-to-video', input: { ratio: '16:9' } }, 500, 'prompt is required'],
      ['an empty prompt', wanInput({ prompt: '' }), 500, 'prompt is required'],
      ['a missing input', { model: 'wan/2-7-text-to-video' }, 500, 'input is required'],
      ['a ratio outside the enum', wanInput({ ratio: '21:9' }), 422, 'ratio must be one of: 16:9, 9:16, 1:1, 4:3, 3:4'],
      ['a resolution outside the enum', wanInput({ resolution: '480p' }), 422, 'resolution must be one of: 720p, 1080p'],
      ['duration as a string', wanInput({ duration: '5' }), 422, 'duration must be integer'],
      ['a duration over 15 s', wanInput({ duration: 16 }), 422, /^duration must be <= 15/],
      ['a prompt over 5000 characters', wanInput({ prompt: 'x'.repeat(5001) }), 422, /^prompt must NOT have more than 5000 characters/],
      ['Kling 3.0 without multi_prompt', { model: 'kling-3.0/video', input: { prompt: 'p', sound: false, duration: '5', aspect_ratio: '16:9', mode: 'std', multi_shots: false } }, 500, 'multi_prompt is required'],
      ['Kling 3.0 duration as a number', { model: 'kling-3.0/video', input: { prompt: 'p', sound: false, duration: 5, aspect_ratio: '16:9', mode: 'std', multi_shots: false, multi_prompt: [] } }, 422, /^duration must be/],
      ['Hailuo 2.3 at 1080P for 10 s', { model: 'hailuo/2-3-image-to-video-standard', input: { prompt: 'p', image_url: 'https://a/1.png', duration: '10', resolution: '1080P' } }, 422, 'duration "10" is not available at 1080P'],
      ['Hailuo 2.3 without its image', { model: 'hailuo/2-3-image-to-video-pro', input: { prompt: 'p', duration: '6', resolution: '768P' } }, 500, 'image_url is required'],
      ['Seedance 2.0 with frames and references', { model: 'bytedance/seedance-2', input: { prompt: 'a cat', first_frame_url: 'https://a/1.png', reference_image_urls: ['https://a/2.png'] } }, 422, /cannot be combined/],
      ['Seedance 2.5 with frames and references (its oneOf)', { model: 'bytedance/seedance-2-5', input: { prompt: 'a cat', first_frame_url: 'https://a/1.png', reference_image_urls: ['https://a/2.png'] } }, 422, 'input must match exactly one of: Frames, References'],
      ['Seedance 2.5 with a last frame only', { model: 'bytedance/seedance-2-5', input: { prompt: 'a cat', last_frame_url: 'https://a/1.png' } }, 422, 'last_frame_url needs first_frame_url'],
      ['MiniMax H3 without aspect_ratio', { model: 'minimax-h3/text-to-video', input: { prompt: 'p', duration: 6, resolution: '768P' } }, 500, 'aspect_ratio is required'],
      ['MiniMax H3 at lower-case 2k', { model: 'minimax-h3/text-to-video', input: { prompt: 'p', aspect_ratio: '16:9', duration: 6, resolution: '2k' } }, 422, 'resolution must be one of: 768P, 2K'],
      ['Grok spicy with images', { model: 'grok-imagine/image-to-video', input: { prompt: 'p', image_urls: ['https://a/1.png'], mode: 'spicy', duration: 6 } }, 422, /spicy/],
      ['Veo 3.1 (market) at 5 s', { model: 'veo-3-1', input: { prompt: 'p', duration: 5 } }, 422, 'duration must be one of: 4, 6, 8'],
      ['a sora-2 model (paused on Kie since June 2026)', { model: 'sora-2-text-to-video', input: { prompt: 'p' } }, 500, 'This interface is temporarily paused'],
    ];
    for (const [what, body, code, msg] of invalid) {
      it(`refuses ${what} with code ${code}`, async () => {
        const r = await call('/api/v1/jobs/createTask', { body });
        assert.equal(r.status, 200);
        assert.equal(r.body.code, code);
        if (typeof msg === 'string') assert.equal(r.body.msg, msg);
        else assert.match(r.body.msg ?? '', msg);
        assert.equal(sim.credits, 10000);
        assert.equal(sim.count('/recordInfo'), 0);
      });
    }

    it('answers the unknown-model message for a model made unavailable', async () => {
      sim.setUnpublishedModels(['wan/2-7-text-to-video']);
      const r = await call('/api/v1/jobs/createTask', { body: WAN_T2V });
      assert.equal(r.body.code, 422);
      assert.equal(r.body.msg, UNSUPPORTED);
    });
  });

  describe('jobs recordInfo', () => {
    it('walks waiting, queuing, generating, success on the default timeline, with successFlag 0 then 1', async () => {
      const id = await createJob();
      const seen: Array<[number, string, unknown]> = [];
      for (const t of [0, 99, 100, 299, 300, 650, 999, 1000, 5000]) {
        clock = sim.requests[0].at + t;
        const rec = await jobsRecord(id);
        seen.push([t, rec.state as string, rec.successFlag]);
        // Kie populates progress for Sora only.
        assert.ok(!('progress' in rec));
      }
      assert.deepEqual(seen, [
        [0, 'waiting', 0],
        [99, 'waiting', 0],
        [100, 'queuing', 0],
        [299, 'queuing', 0],
        [300, 'generating', 0],
        [650, 'generating', 0],
        [999, 'generating', 0],
        [1000, 'success', 1],
        [5000, 'success', 1],
      ]);
    });

    it('reports the result as a JSON string, param as a JSON string and the timings', async () => {
      const created = clock;
      const id = await createJob();
      const pending = await jobsRecord(id);
      assert.equal(pending.resultJson, '');
      assert.equal(pending.response, null);
      assert.equal(pending.failCode, '');
      assert.equal(pending.completeTime, null);
      assert.equal(pending.costTime, null);
      clock += 1000;
      const done = await jobsRecord(id);
      assert.equal(done.taskId, id);
      assert.equal(done.model, 'wan/2-7-text-to-video');
      assert.deepEqual(JSON.parse(done.param as string), WAN_T2V);
      const result = resultUrls(done);
      assert.deepEqual(Object.keys(result), ['resultUrls']);
      assert.equal(result.resultUrls.length, 1);
      assert.match(result.resultUrls[0], new RegExp(`^${sim.url}/files/[0-9a-f]+\\.mp4$`));
      assert.deepEqual(done.response, result);
      assert.equal(done.successFlag, 1);
      assert.equal(done.creditsConsumed, WAN_COST);
      assert.equal(done.failCode, '');
      assert.equal(done.failMsg, '');
      assert.equal(done.createTime, created);
      assert.equal(done.completeTime, created + 1000);
      assert.equal(done.updateTime, created + 1000);
      // Seconds, as Kie's September example reads (its docs say ms): the unit a client must not trust.
      assert.equal(done.costTime, 1);
      assert.deepEqual(sim.task(id), { state: 'success', resultUrls: result.resultUrls, family: 'jobs', model: 'wan/2-7-text-to-video' });
    });

    it('alternates "" and null for empty fields task by task, or pins them', async () => {
      const first = await createJob();
      const second = await createJob();
      assert.equal((await jobsRecord(first)).resultJson, '');
      assert.equal((await jobsRecord(second)).resultJson, null);
      assert.equal((await jobsRecord(second)).failMsg, null);
      assert.equal((await jobsRecord(first, { 'X-Sim-Quirks': 'empty-null' })).resultJson, null);
      sim.setQuirks({ emptyAs: 'empty-string' });
      assert.equal((await jobsRecord(second)).resultJson, '');
    });

    it('ends in fail with failCode and failMsg when scripted', async () => {
      sim.scriptNextTasks({ failCode: '422', failMsg: 'Invalid prompt: prompt contains prohibited content', durationMs: 200 });
      const id = await createJob();
      clock += 200;
      const rec = await jobsRecord(id);
      assert.equal(rec.state, 'fail');
      assert.equal(rec.failCode, '422');
      assert.equal(rec.failMsg, 'Invalid prompt: prompt contains prohibited content');
      assert.equal(rec.resultJson, '');
      assert.equal(rec.response, null);
      assert.equal(rec.successFlag, 3);
      assert.equal(rec.creditsConsumed, WAN_COST);
      assert.equal(rec.completeTime, rec.createTime as number + 200);
      assert.equal(sim.task(id)?.state, 'fail');
    });

    it('answers a scripted 408 once the upstream has been silent, and keeps answering it', async () => {
      sim.scriptNextTasks({ states: [{ state: 'generating', afterMs: 0 }], recordError: { code: 408, afterMs: 600_000 } });
      const id = await createJob();
      assert.equal((await jobsRecord(id)).state, 'generating');
      clock += 600_000;
      for (let i = 0; i < 2; i++) {
        const r = await call(`/api/v1/jobs/recordInfo?taskId=${encodeURIComponent(id)}`);
        assert.equal(r.status, 200);
        assert.deepEqual(r.body, { code: 408, msg: 'Upstream is currently experiencing service issues. No result has been returned for over 10 minutes.', data: null });
      }
    });

    it('follows an explicit script, for n tasks, then returns to the default', async () => {
      sim.scriptNextTasks({ states: [{ state: 'queuing', afterMs: 0 }, { state: 'generating', afterMs: 50 }], costTime: 7 }, 2);
      const stuck = [await createJob(), await createJob()];
      const normal = await createJob();
      clock += 60_000;
      for (const id of stuck) assert.equal((await jobsRecord(id)).state, 'generating');
      assert.equal((await jobsRecord(normal)).state, 'success');
    });

    it('answers an unknown task with 422 "recordInfo is null" and a missing id with 400', async () => {
      assert.deepEqual((await call('/api/v1/jobs/recordInfo?taskId=task_nope_1')).body, { code: 422, msg: 'recordInfo is null', data: null });
      assert.equal((await call('/api/v1/jobs/recordInfo')).body.code, 400);
    });

    it('completes on the real clock too', async () => {
      await sim.close();
      sim = await startSimulator({ defaultDurationMs: 60 });
      const id = await createJob();
      const states: string[] = [];
      while (states[states.length - 1] !== 'success') {
        const state = (await jobsRecord(id)).state as string;
        if (states[states.length - 1] !== state) states.push(state);
        await new Promise((r) => setTimeout(r, 5));
      }
      const order = ['waiting', 'queuing', 'generating', 'success'];
      assert.deepEqual(
        states.map((s) => order.indexOf(s)),
        [...states.map((s) => order.indexOf(s))].sort((a, b) => a - b),
      );
    });
  });

  describe('callbacks', () => {
    it('POSTs the recordInfo body to callBackUrl when the task ends', async () => {
      const received = new Promise<{ body: string; type?: string }>((resolve) => {
        const receiver = createServer((req, res) => {
          let body = '';
          req.on('data', (c: Buffer) => (body += c.toString()));
          req.on('end', () => {
            res.end('ok');
            receiver.close();
            resolve({ body, type: req.headers['content-type'] });
          });
        });
        receiver.listen(0, '127.0.0.1', () => {
          const port = (receiver.address() as AddressInfo).port;
          sim.scriptNextTasks({ durationMs: 20 });
          createJob({ ...WAN_T2V, callBackUrl: `http://127.0.0.1:${port}/cb` }).catch(() => undefined);
        });
      });
      const got = await received;
      assert.equal(got.type, 'application/json');
      const env = JSON.parse(got.body) as Envelope;
      assert.equal(env.code, 200);
      assert.equal(env.data.state, 'success');
      assert.equal(resultUrls(env.data).resultUrls.length, 1);
      assert.equal(sim.callbacks.length, 1);
      assert.equal(sim.callbacks[0].taskId, env.data.taskId);
    });
  });

  describe('Veo', () => {
    async function createVeo(body: Record<string, unknown>): Promise<string> {
      const r = await call<{ taskId: string }>('/api/v1/veo/generate', { body });
      assert.equal(r.body.code, 200, r.body.msg);
      return r.body.data.taskId;
    }
    async function veoRecord(taskId: string): Promise<Record<string, unknown>> {
      const r = await call(`/api/v1/veo/record-info?taskId=${taskId}`);
      assert.equal(r.body.code, 200, r.body.msg);
      return r.body.data;
    }

    it('validates model, ratio, images and seeds', async () => {
      const cases: Array<[Record<string, unknown>, number]> = [
        [{ prompt: 'p', model: 'veo2' }, 422],
        [{ prompt: 'p', model: 'sora-2-text-to-video' }, 422],
        [{ model: 'veo3' }, 422],
        [{ prompt: 'p', aspect_ratio: 'landscape' }, 422],
        [{ prompt: 'p', generationType: 'TEXT_2_VIDEO', imageUrls: ['https://a/1.png'] }, 422],
        [{ prompt: 'p', generationType: 'REFERENCE_2_VIDEO', model: 'veo3', imageUrls: ['https://a/1.png'] }, 422],
        [{ prompt: 'p', seeds: 5 }, 422],
      ];
      for (const [body, code] of cases) assert.equal((await call('/api/v1/veo/generate', { body })).body.code, code, JSON.stringify(body));
      await createVeo({ prompt: 'p', model: 'veo3', aspectRatio: '9:16' });
      await createVeo({ prompt: 'p', model: 'veo3_fast', aspect_ratio: '16:9', imageUrls: ['https://a/1.png'], generationType: 'FIRST_AND_LAST_FRAMES_2_VIDEO', seeds: 12345 });
      assert.equal(sim.credits, 10000 - 250 - 60);
    });

    it('reports successFlag 0 then 1 with result URLs as an array or a JSON string, and string times', async () => {
      const a = await createVeo({ prompt: 'p', model: 'veo3_fast', aspect_ratio: '16:9' });
      const b = await createVeo({ prompt: 'p', model: 'veo3_fast', aspect_ratio: '9:16' });
      assert.match(a, /^[0-9a-f]{32}$/);
      const pending = await veoRecord(a);
      assert.equal(pending.successFlag, 0);
      assert.equal(pending.response, null);
      assert.equal(pending.completeTime, null);
      assert.match(pending.createTime as string, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      clock += 1000;
      const ra = await veoRecord(a);
      const rb = await veoRecord(b);
      assert.equal(ra.successFlag, 1);
      assert.match(ra.completeTime as string, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      const responseA = ra.response as Record<string, unknown>;
      const responseB = rb.response as Record<string, unknown>;
      assert.ok(Array.isArray(responseA.resultUrls));
      assert.equal(responseA.originUrls, null);
      assert.equal(typeof responseB.resultUrls, 'string');
      assert.equal((JSON.parse(responseB.resultUrls as string) as string[]).length, 1);
      assert.equal((responseB.originUrls as string[]).length, 1);
      assert.equal(responseA.resolution, '720p');
      assert.deepEqual(JSON.parse(ra.paramJson as string), { prompt: 'p', model: 'veo3_fast', aspect_ratio: '16:9' });
    });

    it('reports failures with successFlag 2 or 3, errorCode and errorMessage', async () => {
      sim.scriptNextTasks({ failCode: '400', failMsg: 'Prompt flagged' });
      sim.scriptNextTasks({ failCode: '501', failMsg: 'Generation failed', veoFailFlag: 3 });
      const a = await createVeo({ prompt: 'p' });
      const b = await createVeo({ prompt: 'p' });
      clock += 1000;
      const ra = await veoRecord(a);
      assert.equal(ra.successFlag, 2);
      assert.equal(ra.errorCode, 400);
      assert.equal(ra.errorMessage, 'Prompt flagged');
      assert.equal((await veoRecord(b)).successFlag, 3);
    });

    it('does not know jobs tasks on the Veo endpoint', async () => {
      const jobsId = await createJob();
      assert.deepEqual((await call(`/api/v1/veo/record-info?taskId=${jobsId}`)).body, { code: 422, msg: 'recordInfo is null', data: null });
    });

    it('answers get-1080p-video with a non-200 code until some time after success', async () => {
      await start({ hdDelayMs: 5000 });
      const id = await createVeo({ prompt: 'p', aspect_ratio: '16:9' });
      const hd = (): Promise<Reply<Envelope<{ resultUrl: string } | null>>> => call(`/api/v1/veo/get-1080p-video?taskId=${id}&index=0`);
      assert.notEqual((await hd()).body.code, 200);
      clock += 1000;
      assert.notEqual((await hd()).body.code, 200);
      clock += 5000;
      const ready = await hd();
      assert.equal(ready.body.code, 200);
      const url = ready.body.data?.resultUrl ?? '';
      assert.match(url, /\/files\/[0-9a-f]+\.mp4$/);
      assert.equal((await fetch(url)).status, 200);
    });
  });

  describe('result files', () => {
    const fixture = readFileSync(fixtureVideoPath());

    it('serves the fixture MP4 whole with Content-Length', async () => {
      const res = await fetch(await succeededUrl());
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'video/mp4');
      assert.equal(res.headers.get('content-length'), String(fixture.length));
      assert.equal(res.headers.get('accept-ranges'), 'bytes');
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(fixture));
    });

    it('serves byte ranges and refuses unsatisfiable ones', async () => {
      const url = await succeededUrl();
      const mid = await fetch(url, { headers: { Range: 'bytes=10-19' } });
      assert.equal(mid.status, 206);
      assert.equal(mid.headers.get('content-range'), `bytes 10-19/${fixture.length}`);
      assert.ok(Buffer.from(await mid.arrayBuffer()).equals(fixture.subarray(10, 20)));
      const tail = await fetch(url, { headers: { Range: 'bytes=-5' } });
      assert.ok(Buffer.from(await tail.arrayBuffer()).equals(fixture.subarray(fixture.length - 5)));
      const open = await fetch(url, { headers: { Range: `bytes=${fixture.length - 3}-` } });
      assert.equal(open.headers.get('content-length'), '3');
      await open.arrayBuffer();
      const bad = await fetch(url, { headers: { Range: `bytes=${fixture.length}-` } });
      assert.equal(bad.status, 416);
      assert.equal(bad.headers.get('content-range'), `bytes */${fixture.length}`);
      const head = await fetch(url, { method: 'HEAD' });
      assert.equal(head.headers.get('content-length'), String(fixture.length));
    });

    it('answers 404 for a URL it never issued', async () => {
      assert.equal(await statusOf(`${sim.url}/files/0123456789abcdef01234567.mp4`), 404);
    });

    it('expires result URLs after resultUrlTtlMs and refreshes them through common/download-url', async () => {
      await start({ resultUrlTtlMs: 60_000 });
      const url = await succeededUrl();
      assert.equal(await statusOf(url), 200);
      clock += 60_000;
      const expired = await fetch(url);
      assert.equal(expired.status, 403);
      assert.match(await expired.text(), /expired/);
      const refreshed = await call<string>('/api/v1/common/download-url', { body: { url } });
      assert.equal(refreshed.body.code, 200);
      assert.notEqual(refreshed.body.data, url);
      assert.equal(await statusOf(refreshed.body.data), 200);
      clock += 20 * 60 * 1000;
      assert.equal(await statusOf(refreshed.body.data), 403);
    });

    it('expires every issued URL on expireResultUrls but still refreshes them', async () => {
      const url = await succeededUrl();
      sim.expireResultUrls();
      assert.equal(await statusOf(url), 403);
      const refreshed = await call<string>('/api/v1/common/download-url', { body: { url } });
      assert.equal(await statusOf(refreshed.body.data), 200);
    });

    it('refuses to refresh a URL it did not issue', async () => {
      const r = await call('/api/v1/common/download-url', { body: { url: 'https://example.com/a.mp4' } });
      assert.equal(r.body.code, 422);
      assert.equal((await call('/api/v1/common/download-url', { body: {} })).body.code, 400);
    });

    it('serves a generated large file that starts with the real video', async () => {
      const size = 5 * 1024 * 1024 + 7;
      await start({ largeVideoBytes: size });
      const url = await succeededUrl();
      const res = await request(url);
      assert.equal(res.headers['content-length'], String(size));
      let received = 0;
      let head = Buffer.alloc(0);
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        if (head.length < fixture.length) head = Buffer.concat([head, chunk]);
        received += chunk.length;
      }
      assert.equal(received, size);
      assert.ok(head.subarray(0, fixture.length).equals(fixture));
      const tail = await fetch(url, { headers: { Range: `bytes=${size - 10}-` } });
      assert.equal((await tail.arrayBuffer()).byteLength, 10);
    });

    it('is a real H.264 MP4 (ffprobe)', () => {
      const out = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,width,height', '-of', 'json', fixtureVideoPath()]);
      const streams = (JSON.parse(out.toString()) as { streams: Array<{ codec_type: string; codec_name: string; width?: number }> }).streams;
      assert.ok(streams.some((s) => s.codec_type === 'video' && s.codec_name === 'h264' && s.width === 320));
      assert.ok(streams.some((s) => s.codec_type === 'audio' && s.codec_name === 'aac'));
      assert.ok(fixture.length < 300 * 1024);
    });
  });

  describe('forced errors', () => {
    it('answers a chosen code with the chosen HTTP status, message field and Retry-After, then recovers', async () => {
      sim.failNext('/api/v1/chat/credit', { kind: 'code', code: 455, httpStatus: 503, useMessageField: true, retryAfterSec: 7 }, 2);
      for (let i = 0; i < 2; i++) {
        const r = await call('/api/v1/chat/credit');
        assert.equal(r.status, 503);
        assert.equal(r.headers.get('retry-after'), '7');
        assert.deepEqual(r.body, { code: 455, message: 'Service unavailable: system maintenance', data: null });
      }
      assert.equal((await call('/api/v1/chat/credit')).body.code, 200);
    });

    it('answers a forced 429 as a real HTTP 429 with Retry-After', async () => {
      sim.failNext('/createTask', { kind: 'code', code: 429 });
      const r = await call('/api/v1/jobs/createTask', { body: WAN_T2V });
      assert.equal(r.status, 429);
      assert.equal(r.headers.get('retry-after'), '1');
      assert.equal(r.body.code, 429);
      assert.equal(sim.credits, 10000);
    });

    it('drops the connection', async () => {
      sim.failNext('/recordInfo', { kind: 'drop' });
      await assert.rejects(call('/api/v1/jobs/recordInfo?taskId=x'));
      assert.equal(sim.count('/recordInfo'), 1);
      assert.equal(sim.requests[0].status, undefined);
    });

    it('answers slowly but correctly', async () => {
      sim.failNext('/credit', { kind: 'slow', delayMs: 30 });
      assert.equal((await call('/api/v1/chat/credit')).body.code, 200);
    });

    it('truncates a download after some bytes', async () => {
      const url = await succeededUrl();
      sim.failNext('.mp4', { kind: 'truncate', afterBytes: 1000 });
      const res = await request(url);
      assert.equal(res.headers['content-length'], String(readFileSync(fixtureVideoPath()).length));
      let received = 0;
      await assert.rejects(async () => {
        for await (const chunk of res.body as AsyncIterable<Buffer>) received += chunk.length;
      });
      assert.equal(received, 1000);
      assert.equal((await (await fetch(url)).arrayBuffer()).byteLength, readFileSync(fixtureVideoPath()).length);
    });

    it('sends malformed bodies: Cloudflare 1010 as HTTP 403 text, cut JSON as HTTP 200', async () => {
      sim.failNext('/credit', { kind: 'malformed', body: 'error code: 1010' });
      sim.failNext('/recordInfo', { kind: 'malformed', body: '{"code":200,' });
      const cf = await fetch(`${sim.url}/api/v1/chat/credit`);
      assert.equal(cf.status, 403);
      assert.equal(await cf.text(), 'error code: 1010');
      const cut = await fetch(`${sim.url}/api/v1/jobs/recordInfo?taskId=x`);
      assert.equal(cut.status, 200);
      assert.equal(await cut.text(), '{"code":200,');
    });

    it('shapes forced errors like the host they hit', async () => {
      sim.failNext('/1/upload', { kind: 'code', code: 429 });
      sim.failNext('/file-stream-upload', { kind: 'code', code: 500, msg: 'disk full' });
      const imgbb = await fetch(`${sim.imgbbUrl}/1/upload?key=${sim.imgbbKey}`, { method: 'POST' });
      assert.equal(imgbb.status, 400);
      assert.deepEqual(await imgbb.json(), { status_code: 400, error: { message: 'Rate limit reached.', code: 429 }, status_txt: 'Bad Request' });
      const kie = await fetch(`${sim.uploadUrl}/api/file-stream-upload`, { method: 'POST' });
      assert.deepEqual(await kie.json(), { success: false, code: 500, msg: 'disk full' });
    });
  });

  describe('rate limits', () => {
    it('answers HTTP 429 with Retry-After beyond the per-key query rate', async () => {
      sim.setRateLimit(3);
      for (let i = 0; i < 3; i++) assert.equal((await call('/api/v1/jobs/recordInfo?taskId=x')).status, 200);
      const limited = await call('/api/v1/jobs/recordInfo?taskId=x');
      assert.equal(limited.status, 429);
      assert.equal(limited.body.code, 429);
      assert.equal(limited.headers.get('retry-after'), '1');
      clock += 1000;
      assert.equal((await call('/api/v1/jobs/recordInfo?taskId=x')).status, 200);
      sim.setRateLimit(null);
      for (let i = 0; i < 10; i++) assert.equal((await call('/api/v1/chat/credit')).status, 200);
    });

    it('refuses the 21st task within 10 s without creating it or charging', async () => {
      sim.setRateLimit(10);
      for (let i = 0; i < 20; i++) await createJob();
      clock += 4000;
      const r = await call('/api/v1/jobs/createTask', { body: WAN_T2V });
      assert.equal(r.status, 429);
      assert.equal(r.body.code, 429);
      assert.equal(r.headers.get('retry-after'), '6');
      assert.equal(sim.credits, 10000 - 20 * WAN_COST);
      clock += 6000;
      await createJob();
    });

    it('rate-limits imgbb with its own HTTP 400 shape', async () => {
      sim.setRateLimit(1);
      const upload = (): Promise<Response> =>
        fetch(`${sim.imgbbUrl}/1/upload?key=${sim.imgbbKey}`, { method: 'POST', body: new URLSearchParams({ image: PNG_1X1.toString('base64') }) });
      assert.equal((await upload()).status, 200);
      const limited = await upload();
      assert.equal(limited.status, 400);
      assert.equal(((await limited.json()) as { error: { message: string } }).error.message, 'Rate limit reached.');
    });
  });

  describe('Kie upload host', () => {
    it('round-trips a multipart upload and serves the file at downloadUrl', async () => {
      const form = new FormData();
      form.append('file', new Blob([PNG_1X1]), 'frame.png');
      form.append('uploadPath', 'images/sora');
      form.append('fileName', 'first.png');
      const res = await fetch(`${sim.uploadUrl}/api/file-stream-upload`, { method: 'POST', headers: { Authorization: `Bearer ${sim.apiKey}` }, body: form });
      const body = (await res.json()) as { success: boolean; code: number; msg: string; data: Record<string, unknown> };
      assert.equal(body.success, true);
      assert.equal(body.code, 200);
      assert.equal(body.msg, 'File uploaded successfully');
      assert.equal(body.data.fileName, 'first.png');
      assert.equal(body.data.filePath, 'images/sora/first.png');
      assert.equal(body.data.fileSize, PNG_1X1.length);
      assert.equal(body.data.mimeType, 'image/png');
      assert.match(body.data.uploadedAt as string, /^\d{4}-\d{2}-\d{2}T/);
      const served = await fetch(body.data.downloadUrl as string);
      assert.equal(served.headers.get('content-type'), 'image/png');
      assert.ok(Buffer.from(await served.arrayBuffer()).equals(PNG_1X1));
      assert.ok(sim.uploaded(body.data.downloadUrl as string)?.data.equals(PNG_1X1));
      assert.deepEqual(sim.requests[0].body, {
        fields: { uploadPath: 'images/sora', fileName: 'first.png' },
        files: [{ field: 'file', fileName: 'frame.png', contentType: 'application/octet-stream', size: PNG_1X1.length }],
      });
    });

    it('uploads base64 and by URL', async () => {
      const post = async (path: string, body: unknown): Promise<{ success: boolean; data: Record<string, unknown> }> => {
        const res = await fetch(`${sim.uploadUrl}${path}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${sim.apiKey}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
        return (await res.json()) as { success: boolean; data: Record<string, unknown> };
      };
      const b64 = await post('/api/file-base64-upload', { base64Data: `data:image/png;base64,${PNG_1X1.toString('base64')}`, uploadPath: 'images' });
      assert.equal(b64.success, true);
      assert.equal(b64.data.mimeType, 'image/png');
      assert.match(b64.data.fileName as string, /\.png$/);
      const byUrl = await post('/api/file-url-upload', { fileUrl: b64.data.downloadUrl, uploadPath: 'copies', fileName: 'copy.png' });
      assert.equal(byUrl.data.fileSize, PNG_1X1.length);
      assert.ok(sim.uploaded(byUrl.data.downloadUrl as string)?.data.equals(PNG_1X1));
    });

    it('answers a bad key with code 401 and a missing field with code 400', async () => {
      const form = new FormData();
      form.append('file', new Blob([PNG_1X1]), 'a.png');
      const noKey = await fetch(`${sim.uploadUrl}/api/file-stream-upload`, { method: 'POST', body: form });
      assert.equal(noKey.status, 200);
      assert.deepEqual(await noKey.json(), { success: false, code: 401, msg: 'You do not have access permissions' });
      const noPath = await fetch(`${sim.uploadUrl}/api/file-stream-upload`, { method: 'POST', headers: { Authorization: `Bearer ${sim.apiKey}` }, body: form });
      assert.deepEqual(await noPath.json(), { success: false, code: 400, msg: 'uploadPath is required' });
    });
  });

  describe('imgbb', () => {
    it('answers a wrong key with imgbb\'s HTTP 400 shape', async () => {
      const res = await fetch(`${sim.imgbbUrl}/1/upload?key=wrong`, { method: 'POST', body: new URLSearchParams({ image: PNG_1X1.toString('base64') }) });
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), { status_code: 400, error: { message: 'Invalid API v1 key.', code: 100 }, status_txt: 'Bad Request' });
    });

    it('uploads a multipart file, answers numbers as strings and serves the image', async () => {
      await start({ imgbbKey: 'imgbb-key' });
      const form = new FormData();
      form.append('image', new Blob([PNG_1X1], { type: 'image/png' }), 'frame.png');
      form.append('name', 'frame');
      const res = await fetch(`${sim.imgbbUrl}/1/upload?key=imgbb-key&expiration=600`, { method: 'POST', body: form });
      const body = (await res.json()) as { success: boolean; status: number; data: Record<string, unknown> };
      assert.equal(body.success, true);
      assert.equal(body.status, 200);
      assert.equal(body.data.width, '1');
      assert.equal(body.data.height, '1');
      assert.equal(body.data.size, String(PNG_1X1.length));
      assert.equal(body.data.expiration, '600');
      assert.match(body.data.url as string, /\/imgbb\/i\/[0-9a-f]+\/frame\.png$/);
      assert.ok(Buffer.from(await (await fetch(body.data.url as string)).arrayBuffer()).equals(PNG_1X1));
    });

    it('refuses an empty source and a bad expiration', async () => {
      const empty = await fetch(`${sim.imgbbUrl}/1/upload?key=${sim.imgbbKey}`, { method: 'POST', body: new URLSearchParams({}) });
      assert.equal(empty.status, 400);
      await empty.arrayBuffer();
      const exp = await fetch(`${sim.imgbbUrl}/1/upload?key=${sim.imgbbKey}&expiration=5`, { method: 'POST', body: new URLSearchParams({ image: PNG_1X1.toString('base64') }) });
      assert.equal(exp.status, 400);
      await exp.arrayBuffer();
    });
  });

  describe('request log', () => {
    it('records method, path, query, body and counts by path suffix', async () => {
      await createJob();
      await call('/api/v1/jobs/recordInfo?taskId=abc');
      assert.equal(sim.count('/api/v1/jobs/createTask'), 1);
      assert.equal(sim.count('/recordInfo'), 1);
      const [create, poll] = sim.requests;
      assert.equal(create.method, 'POST');
      assert.deepEqual(create.body, WAN_T2V);
      assert.equal(create.status, 200);
      assert.deepEqual(poll.query, { taskId: 'abc' });
      assert.equal(poll.viaProxy, false);
      assert.equal(poll.at, clock);
    });

    it('marks requests that came through a proxy', async () => {
      const port = new URL(sim.url).port;
      const viaAbsoluteForm = await new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: `${sim.url}/api/v1/chat/credit`, headers: { Authorization: `Bearer ${sim.apiKey}` } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(viaAbsoluteForm, 200);
      await call('/api/v1/chat/credit', { headers: { Via: '1.1 tinyproxy (tinyproxy/1.11.1)' } });
      await call('/api/v1/chat/credit', { headers: { 'X-Forwarded-For': '10.0.0.1' } });
      await call('/api/v1/chat/credit');
      assert.deepEqual(
        sim.requests.map((r) => [r.path, r.viaProxy]),
        [
          ['/api/v1/chat/credit', true],
          ['/api/v1/chat/credit', true],
          ['/api/v1/chat/credit', true],
          ['/api/v1/chat/credit', false],
        ],
      );
    });

    it('keeps the newest logLimit requests and reports each finished one', async () => {
      const seen: Array<[string, number | undefined]> = [];
      await start({ logLimit: 2, onRequest: (r) => seen.push([r.path, r.status]) });
      await call('/api/v1/chat/credit');
      await call('/api/v1/jobs/recordInfo?taskId=a');
      await call('/api/v1/jobs/recordInfo?taskId=b');
      assert.deepEqual(
        sim.requests.map((r) => r.query.taskId),
        ['a', 'b'],
      );
      assert.deepEqual(seen, [
        ['/api/v1/chat/credit', 200],
        ['/api/v1/jobs/recordInfo', 200],
        ['/api/v1/jobs/recordInfo', 200],
      ]);
    });

    it('resets log, tasks, credits, scripts and forced errors', async () => {
      const id = await createJob();
      sim.failNext('/credit', { kind: 'drop' });
      sim.setCredits(1);
      sim.reset();
      assert.equal(sim.requests.length, 0);
      assert.equal(sim.task(id), undefined);
      assert.equal((await call<number>('/api/v1/chat/credit')).body.data, 10000);
    });
  });

  it('plays Kie on its own: no simulator file imports the product', () => {
    const root = path.join(__dirname, '../../../../src/simulator');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length > 10);
    for (const f of files) {
      const imports = [...readFileSync(path.join(root, f), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      assert.ok(!imports.some((i) => /(^|\/)(core|vscode|webview)(\/|$)/.test(i)), `${f}: ${imports.join(', ')}`);
    }
  });

  describe('command line', () => {
    it('starts on the given port and key, prints the discovery URL and serves Sora only with --sora', async function () {
      this.timeout(15_000);
      const cli = path.join(__dirname, '../../../src/simulator/cli.js');
      for (const sora of [false, true]) {
        const child = spawn(process.execPath, [cli, '--port', '0', '--key', 'cli-key', '--quiet', ...(sora ? ['--sora'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
        try {
          let out = '';
          await new Promise<void>((resolve, reject) => {
            child.stdout.on('data', (d: Buffer) => {
              out += d.toString();
              if (out.includes('Ctrl+C stops.')) resolve();
            });
            child.once('exit', (code) => reject(new Error(`the simulator exited (${code}): ${out}`)));
          });
          const base = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
          assert.ok(base, out);
          assert.ok(out.includes(`discovery:   ${base}/api/v1/models`), out);
          const headers = { Authorization: 'Bearer cli-key', 'Content-Type': 'application/json', 'User-Agent': 'sora-video-tests/1' };
          const listing = (await (await fetch(`${base}/api/v1/models?provider=Kling`, { headers })).json()) as Envelope<{ total: number }>;
          assert.equal(listing.data.total, 2);
          const body = JSON.stringify({ model: 'sora-2-text-to-video', input: { prompt: 'p', aspect_ratio: 'landscape', n_frames: '10' } });
          const created = (await (await fetch(`${base}/api/v1/jobs/createTask`, { method: 'POST', headers, body })).json()) as Envelope;
          assert.equal(created.code, sora ? 200 : 500, created.msg);
        } finally {
          child.kill();
        }
      }
    });
  });

  describe('multipart parser', () => {
    it('reads the boundary, quoted or not', () => {
      assert.equal(multipartBoundary('multipart/form-data; boundary="a b"'), 'a b');
      assert.equal(multipartBoundary('multipart/form-data; boundary=----x1'), '----x1');
      assert.equal(multipartBoundary('application/json'), undefined);
    });

    it('parses fields and files with binary content that looks like line breaks', () => {
      const body = Buffer.concat([
        Buffer.from('--b0\r\nContent-Disposition: form-data; name="uploadPath"\r\n\r\nimages\r\n'),
        Buffer.from('--b0\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n'),
        Buffer.from([0, 13, 10, 45, 45, 255]),
        Buffer.from('\r\n--b0--\r\n'),
      ]);
      const parts = parseMultipart(body, 'b0');
      assert.equal(parts.length, 2);
      assert.equal(parts[0].data.toString(), 'images');
      assert.equal(parts[1].fileName, 'a.bin');
      assert.deepEqual([...parts[1].data], [0, 13, 10, 45, 45, 255]);
    });
  });
});

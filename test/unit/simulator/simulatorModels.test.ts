import * as assert from 'node:assert/strict';
import { SimulatorCalls } from './simulatorCalls';
import { SAMPLES, sampleModel } from './simulatorSamples';

const PAUSED = 'This interface is temporarily paused';
const UNSUPPORTED = 'The model name you specified is not supported. Please verify your input and use one of the supported models provided by KIE.';
const SORA_T2V = { model: 'sora-2-text-to-video', input: { prompt: 'a lighthouse at dawn', aspect_ratio: 'landscape', n_frames: '15', remove_watermark: true } };

describe('Kie simulator: the models it serves', () => {
  const t = new SimulatorCalls();

  beforeEach(async () => {
    await t.start({ discoveryPerSecond: null });
  });
  afterEach(async () => {
    await t.sim.close();
  });

  async function record(taskId: string, veo: boolean): Promise<Record<string, unknown>> {
    const r = await t.call(`/api/v1/${veo ? 'veo/record-info' : 'jobs/recordInfo'}?taskId=${encodeURIComponent(taskId)}`);
    assert.equal(r.body.code, 200, r.body.msg);
    return r.body.data;
  }

  for (const s of SAMPLES) {
    it(`creates ${s.what} and charges ${s.credits} credits`, async () => {
      const r = await t.create(s.body);
      assert.equal(r.body.code, 200, r.body.msg);
      assert.equal(t.sim.credits, Math.round((10000 - s.credits) * 100) / 100);
      assert.equal(t.sim.task(r.body.data.taskId)?.model, sampleModel(s));
      const veo = !('input' in s.body);
      t.clock += 1000;
      const rec = await record(r.body.data.taskId, veo);
      assert.equal(rec.successFlag, 1);
      if (!veo) assert.equal(rec.creditsConsumed, s.credits);
    });
  }

  it('has a sample for every model it lists', async () => {
    const listed = (await t.call<{ models: Array<{ model: string }> }>('/api/v1/models')).body.data.models.map((m) => m.model);
    assert.deepEqual([...new Set(SAMPLES.map(sampleModel))].sort(), [...listed].sort());
  });

  it('refuses with 402 a task that costs more than the balance, and charges nothing', async () => {
    t.sim.setCredits(1579);
    const seedance = SAMPLES.find((s) => s.credits === 1580);
    assert.ok(seedance);
    const r = await t.create(seedance.body);
    assert.equal(r.body.code, 402);
    assert.equal(r.body.msg, 'The current credits are insufficient. Please top up.');
    assert.equal(t.sim.credits, 1579);
    assert.equal(t.sim.count('/createTask'), 1);
  });

  it('accepts Seedance 2.0 Fast reference videos under the key Kie publishes with a trailing space', async () => {
    const r = await t.create({ model: 'bytedance/seedance-2-fast', input: { prompt: 'a fox', 'reference_video_urls ': ['https://example.com/a.mp4'], resolution: '480p', duration: 4 } });
    assert.equal(r.body.code, 200, r.body.msg);
    assert.equal(t.sim.credits, 10000 - 46.8);
  });

  it('lets each model take its typical run time on Kie, scaled, when asked to', async () => {
    await t.start({ runTimeScale: 0.01 });
    const quality = await t.create(SAMPLES[0].body);
    const wan = await t.create(SAMPLES[12].body);
    t.clock += 900;
    assert.equal(t.sim.task(wan.body.data.taskId)?.state, 'success');
    assert.equal(t.sim.task(quality.body.data.taskId)?.state, 'generating');
    t.clock += 900;
    assert.equal(t.sim.task(quality.body.data.taskId)?.state, 'success');
  });

  describe('Sora 2 (retired)', () => {
    const ids = ['sora-2-text-to-video', 'sora-2-image-to-video', 'sora-2-pro-text-to-video', 'sora-2-pro-image-to-video', 'sora-2-pro-storyboard', 'sora-3-anything'];
    for (const id of ids) {
      it(`answers ${id} with 500 "temporarily paused", even with credits`, async () => {
        const r = await t.create({ ...SORA_T2V, model: id });
        assert.equal(r.status, 200);
        assert.deepEqual(r.body, { code: 500, msg: PAUSED, data: null });
        assert.equal(t.sim.credits, 10000);
      });
    }

    it('does not know Sora on the Veo endpoint', async () => {
      const r = await t.call('/api/v1/veo/generate', { body: { prompt: 'p', model: 'sora-2-text-to-video' } });
      assert.deepEqual(r.body, { code: 422, msg: UNSUPPORTED, data: null });
    });

    it('serves Sora as before June 2026 when switched on (option or setSoraEnabled), with its old result fields', async () => {
      await t.start({ soraEnabled: true });
      const r = await t.create(SORA_T2V);
      assert.equal(r.body.code, 200, r.body.msg);
      assert.equal(t.sim.credits, 10000 - 35);
      t.clock += 1000;
      const rec = await record(r.body.data.taskId, false);
      assert.equal(rec.progress, 100);
      const result = JSON.parse(rec.resultJson as string) as Record<string, string[]>;
      assert.equal(result.resultWaterMarkUrls.length, 1);
      t.sim.setSoraEnabled(false);
      assert.equal((await t.create(SORA_T2V)).body.msg, PAUSED);
      t.sim.setSoraEnabled(true);
      assert.equal((await t.create(SORA_T2V)).body.code, 200);
    });

    it('validates Sora against its June 2026 schema when switched on', async () => {
      t.sim.setSoraEnabled(true);
      const cases: Array<[Record<string, unknown>, number, string | RegExp]> = [
        [{ ...SORA_T2V, input: { ...SORA_T2V.input, n_frames: 10 } }, 422, 'n_frames must be string'],
        [{ ...SORA_T2V, input: { ...SORA_T2V.input, aspect_ratio: '16:9' } }, 422, 'aspect_ratio must be one of: portrait, landscape'],
        [{ ...SORA_T2V, model: 'sora-2-image-to-video' }, 500, 'image_urls is required'],
        [{ model: 'sora-2-pro-text-to-video', input: { ...SORA_T2V.input, size: 'huge' } }, 422, 'size must be one of: standard, high'],
        [{ model: 'sora-2-text-to-video', input: { n_frames: '10' } }, 500, 'prompt is required'],
      ];
      for (const [body, code, msg] of cases) {
        const r = await t.create(body);
        assert.equal(r.body.code, code, JSON.stringify(body));
        assert.equal(r.body.msg, msg);
      }
      assert.equal((await t.create({ model: 'sora-2-pro-text-to-video', input: { ...SORA_T2V.input, size: 'high' } })).body.code, 200);
      assert.equal(t.sim.credits, 10000 - 630);
    });
  });

  describe('the dedicated Veo API', () => {
    const refusals: Array<[string, Record<string, unknown>, string]> = [
      ['an 8k resolution', { prompt: 'p', resolution: '8k' }, 'resolution must be one of: 720p, 1080p, 4k'],
      ['a 5 s duration', { prompt: 'p', duration: 5 }, 'duration must be one of: 4, 6, 8'],
      ['an unknown tier', { prompt: 'p', model: 'veo3_ultra' }, UNSUPPORTED],
      ['a missing prompt', { model: 'veo3_lite' }, 'prompt is required'],
      ['reference images on Quality', { prompt: 'p', model: 'veo3', generationType: 'REFERENCE_2_VIDEO', imageUrls: ['https://a/1.png'] }, 'REFERENCE_2_VIDEO is only available with veo3_fast and veo3_lite'],
      ['reference images at 6 s', { prompt: 'p', model: 'veo3_lite', generationType: 'REFERENCE_2_VIDEO', imageUrls: ['https://a/1.png'], duration: 6 }, 'duration must be 8 for REFERENCE_2_VIDEO'],
      ['four reference images', { prompt: 'p', generationType: 'REFERENCE_2_VIDEO', imageUrls: ['https://a/1', 'https://a/2', 'https://a/3', 'https://a/4'] }, 'imageUrls must NOT have more than 3 items'],
      ['three images as first and last frames', { prompt: 'p', imageUrls: ['https://a/1', 'https://a/2', 'https://a/3'] }, 'imageUrls must hold 1 or 2 images for FIRST_AND_LAST_FRAMES_2_VIDEO'],
      ['a frames type without images', { prompt: 'p', generationType: 'FIRST_AND_LAST_FRAMES_2_VIDEO' }, 'imageUrls must hold 1 or 2 images for FIRST_AND_LAST_FRAMES_2_VIDEO'],
    ];
    for (const [what, body, msg] of refusals) {
      it(`refuses ${what} with 422`, async () => {
        const r = await t.call('/api/v1/veo/generate', { body });
        assert.deepEqual(r.body, { code: 422, msg, data: null });
        assert.equal(t.sim.credits, 10000);
      });
    }

    it('defaults to Fast at 720p and echoes the resolution asked for in the record', async () => {
      const plain = await t.call<{ taskId: string }>('/api/v1/veo/generate', { body: { prompt: 'p' } });
      assert.equal(t.sim.credits, 10000 - 60);
      const hd = await t.call<{ taskId: string }>('/api/v1/veo/generate', { body: { prompt: 'p', model: 'veo3_lite', resolution: '1080p', duration: 4 } });
      assert.equal(t.sim.credits, 10000 - 60 - 35);
      assert.equal(t.sim.task(plain.body.data.taskId)?.model, 'veo3_fast');
      t.clock += 1000;
      assert.equal(((await record(plain.body.data.taskId, true)).response as Record<string, unknown>).resolution, '720p');
      assert.equal(((await record(hd.body.data.taskId, true)).response as Record<string, unknown>).resolution, '1080p');
    });
  });

  describe('scripted Kie errors', () => {
    const codes: Array<[408 | 433 | 451 | 402 | 401, string]> = [
      [408, 'Upstream is currently experiencing service issues. No result has been returned for over 10 minutes.'],
      [433, 'Request Limit - Sub-key Usage Exceeds Limit'],
      [451, 'Failed to fetch the image. Please check that the image URL is publicly accessible.'],
      [402, 'The current credits are insufficient. Please top up.'],
      [401, 'You do not have access permissions'],
    ];
    for (const [code, msg] of codes) {
      it(`answers a forced ${code} in an HTTP 200 body with Kie's message and creates nothing`, async () => {
        t.sim.failNext('/createTask', { kind: 'code', code });
        const r = await t.create(SAMPLES[5].body);
        assert.equal(r.status, 200);
        assert.deepEqual(r.body, { code, msg, data: null });
        assert.equal(t.sim.credits, 10000);
        assert.equal((await t.create(SAMPLES[5].body)).body.code, 200);
      });
    }

    it('fails a task with failCode 451 when scripted', async () => {
      t.sim.scriptNextTasks({ failCode: '451', failMsg: 'Failed to fetch the image' });
      const r = await t.create(SAMPLES[13].body);
      t.clock += 1000;
      const rec = await record(r.body.data.taskId, false);
      assert.equal(rec.state, 'fail');
      assert.equal(rec.successFlag, 3);
      assert.equal(rec.failCode, '451');
    });
  });
});

import * as assert from 'node:assert/strict';
import Ajv2020 from 'ajv/dist/2020';
import { SimulatorCalls } from './simulatorCalls';
import { SAMPLES, sampleModel } from './simulatorSamples';

interface Listed {
  model: string;
  slug: string;
  title: string;
  provider: string;
  taskType: string[];
  description: string | null;
  pricingDesc: string;
}
interface Point {
  start: number;
  end: number;
  successRate: number | null;
  errorRate: number | null;
  isNormal: boolean;
}
type Doc = Record<string, unknown>;

const TEN_MINUTES = 10 * 60 * 1000;

/**
 * Inlines every `$ref` of an OpenAPI document the way kie-api.md §5 tells a client to: URL-decode each
 * segment of the pointer, then match the component key literally. Written here, independent of the
 * simulator's code, so a wrong document cannot pass by agreeing with itself.
 */
function resolve(doc: Doc, node: unknown, depth = 0): unknown {
  assert.ok(depth < 50, 'a $ref cycle');
  if (Array.isArray(node)) return node.map((n) => resolve(doc, n, depth + 1));
  if (typeof node !== 'object' || node === null) return node;
  const ref = (node as { $ref?: unknown }).$ref;
  if (typeof ref === 'string') {
    assert.ok(ref.startsWith('#/'), ref);
    let target: unknown = doc;
    for (const raw of ref.slice(2).split('/')) {
      const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      assert.ok(typeof target === 'object' && target !== null && key in target, `unresolvable ${ref} (segment "${key}")`);
      target = (target as Record<string, unknown>)[key];
    }
    return resolve(doc, target, depth + 1);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(doc, v, depth + 1)]));
}

function requestSchema(doc: Doc): { path: string; raw: unknown; resolved: Record<string, unknown> } {
  const [path, item] = Object.entries(doc.paths as Record<string, { post: { requestBody: { content: Record<string, { schema: unknown }> } } }>)[0];
  const raw = item.post.requestBody.content['application/json'].schema;
  return { path, raw, resolved: resolve(doc, raw) as Record<string, unknown> };
}

describe('Kie simulator: discovery API', () => {
  const t = new SimulatorCalls();

  beforeEach(async () => {
    await t.start({ discoveryPerSecond: null });
  });
  afterEach(async () => {
    await t.sim.close();
  });

  const list = async (query = ''): Promise<{ total: number; models: Listed[] }> => {
    const r = await t.call<{ total: number; models: Listed[] }>(`/api/v1/models${query}`);
    assert.equal(r.body.code, 200, r.body.msg);
    return r.body.data;
  };
  const schema = async (model: string): Promise<{ model: string; openapi: Doc | null }> => {
    const r = await t.call<{ model: string; openapi: Doc | null }>(`/api/v1/models/${model}/schema`);
    assert.equal(r.body.code, 200, r.body.msg);
    return r.body.data;
  };

  describe('the model list', () => {
    it('lists every current model with Kie\'s fields, and no Sora', async () => {
      const { total, models } = await list();
      assert.equal(total, models.length);
      assert.equal(total, 18);
      for (const m of models) {
        assert.deepEqual(Object.keys(m), ['model', 'slug', 'title', 'provider', 'taskType', 'description', 'pricingDesc']);
        assert.ok(m.taskType.every((x) => x === 'Text to Video' || x === 'Image to Video'), m.model);
        assert.ok(m.pricingDesc.includes('credits'), m.pricingDesc);
      }
      const ids = models.map((m) => m.model);
      for (const id of ['veo3', 'veo3_fast', 'veo3_lite', 'veo-3-1', 'kling-3.0/video', 'bytedance/seedance-2-5', 'minimax-h3/image-to-video', 'kling-2.6/text-to-video']) assert.ok(ids.includes(id), id);
      assert.ok(!ids.some((id) => id.startsWith('sora')));
      assert.ok(models.some((m) => m.description === null));
      assert.deepEqual(models.find((m) => m.model === 'kling-3.0/video')?.slug, 'kling-3-0-video');
    });

    it('filters by a percent-encoded comma list of task types, by provider and by text', async () => {
      const image = await list('?taskType=Image%20to%20Video');
      assert.ok(image.models.every((m) => m.taskType.includes('Image to Video')));
      assert.ok(image.models.some((m) => m.model === 'hailuo/2-3-image-to-video-standard'));
      assert.ok(!image.models.some((m) => m.model === 'wan/2-7-text-to-video'));
      assert.equal((await list('?taskType=Text%20to%20Video%2CImage%20to%20Video')).total, 18);
      assert.equal((await list('?taskType=Text%20to%20Image')).total, 0);
      assert.deepEqual((await list('?provider=ByteDance')).models.map((m) => m.model).sort(), ['bytedance/seedance-2', 'bytedance/seedance-2-5', 'bytedance/seedance-2-fast']);
      assert.deepEqual((await list('?provider=xai%2Chailuo')).total, 4);
      assert.deepEqual((await list('?q=minimax')).models.map((m) => m.model), ['minimax-h3/text-to-video', 'minimax-h3/image-to-video']);
      assert.equal((await list('?taskType=Text%20to%20Video&provider=Wan&q=2.6')).models[0].model, 'wan/2-6-text-to-video');
    });

    it('lists Sora only while the simulator plays the Kie of before June 2026, and drops a retired model', async () => {
      t.sim.setSoraEnabled(true);
      assert.ok((await list()).models.some((m) => m.model === 'sora-2-text-to-video'));
      t.sim.setSoraEnabled(false);
      t.sim.setUnpublishedModels(['kling-2.6/text-to-video']);
      assert.ok(!(await list()).models.some((m) => m.model === 'kling-2.6/text-to-video'));
      assert.equal((await t.call('/api/v1/models/kling-2.6/text-to-video/price')).body.code, 404);
    });
  });

  describe('schemas', () => {
    it('takes the model id with an unencoded slash and knows no model by %2F', async () => {
      const ok = await schema('kling-3.0/video');
      assert.equal(ok.model, 'kling-3.0/video');
      assert.equal(ok.openapi?.openapi, '3.1.0');
      const encoded = await t.call('/api/v1/models/kling-3.0%2Fvideo/schema');
      assert.equal(encoded.status, 200);
      assert.deepEqual(encoded.body, { code: 404, msg: 'Model not found', data: null });
    });

    it('points into components with $refs that are not inlined, percent-encoded and with a key ending in a space', async () => {
      const doc = (await schema('wan/2-7-text-to-video')).openapi;
      assert.ok(doc);
      const { path, raw, resolved } = requestSchema(doc);
      assert.equal(path, '/api/v1/jobs/createTask');
      assert.deepEqual(raw, { $ref: '#/components/schemas/Wan%202.7%20-%20Text%20to%20Video%20Request' });
      const keys = Object.keys((doc.components as { schemas: Record<string, unknown> }).schemas);
      assert.ok(keys.includes('Wan 2.7 - Text to Video Input'), keys.join(' | '));
      assert.ok(keys.some((k) => k.endsWith(' ') && k.trim() !== k), keys.join(' | '));
      const text = JSON.stringify(doc);
      assert.ok(text.includes('%20'));
      const input = (resolved.properties as Record<string, Record<string, unknown>>).input;
      assert.deepEqual((input.properties as Record<string, { enum?: string[] }>).resolution.enum, ['720p', '1080p']);
      assert.deepEqual(input.required, ['prompt']);
    });

    it('offers Seedance 2.5\'s input as a oneOf of frames or references', async () => {
      const doc = (await schema('bytedance/seedance-2-5')).openapi;
      assert.ok(doc);
      const input = ((requestSchema(doc).resolved.properties as Record<string, unknown>).input ?? {}) as { oneOf?: Array<{ title: string; properties: Record<string, unknown> }> };
      assert.deepEqual(input.oneOf?.map((b) => b.title), ['Frames', 'References']);
      assert.ok('first_frame_url' in (input.oneOf?.[0].properties ?? {}));
      assert.ok('reference_image_urls' in (input.oneOf?.[1].properties ?? {}));
    });

    it('publishes Seedance 2.0 Fast\'s reference videos under a key with a trailing space, as Kie does', async () => {
      const doc = (await schema('bytedance/seedance-2-fast')).openapi;
      assert.ok(doc);
      const input = (requestSchema(doc).resolved.properties as Record<string, { properties: Record<string, unknown> }>).input;
      assert.ok('reference_video_urls ' in input.properties);
      assert.ok(!('reference_video_urls' in input.properties));
    });

    it('answers openapi null for a model not synced yet', async () => {
      assert.deepEqual(await schema('hailuo/2-3-image-to-video-pro'), { model: 'hailuo/2-3-image-to-video-pro', openapi: null });
    });

    it('documents the Veo tiers on their own endpoint', async () => {
      const doc = (await schema('veo3_lite')).openapi;
      assert.ok(doc);
      const { path, resolved } = requestSchema(doc);
      assert.equal(path, '/api/v1/veo/generate');
      const props = resolved.properties as Record<string, { enum?: unknown[] }>;
      assert.deepEqual(props.duration.enum, [4, 6, 8]);
      assert.deepEqual(props.resolution.enum, ['720p', '1080p', '4k']);
    });

    it('accepts every typical request under the resolved schema (an independent validator), and refuses a bad one', async () => {
      const ajv = new Ajv2020({ strict: false, allErrors: true });
      for (const s of SAMPLES) {
        t.clock += 1;
        const doc = (await schema(sampleModel(s))).openapi;
        if (doc === null) continue;
        const validate = ajv.compile(requestSchema(doc).resolved);
        assert.ok(validate(s.body), `${s.what}: ${JSON.stringify(validate.errors)}`);
      }
      const wan = requestSchema((await schema('wan/2-7-text-to-video')).openapi ?? {}).resolved;
      assert.equal(ajv.compile(wan)({ model: 'wan/2-7-text-to-video', input: { prompt: 'p', aspect_ratio: '16:9', duration: '5' } }), false);
    });
  });

  describe('price and success rate', () => {
    it('answers the price as prose, the same as the list', async () => {
      const r = await t.call<{ model: string; pricingDesc: string }>('/api/v1/models/minimax-h3/text-to-video/price');
      assert.deepEqual(r.body.data, { model: 'minimax-h3/text-to-video', pricingDesc: 'MiniMax H3 Text to Video: 768P 8 credits per second, 2K 13 credits per second (halved on 2026-09-22).' });
      const listed = (await list('?q=minimax-h3/text')).models[0];
      assert.equal(listed.pricingDesc, r.body.data.pricingDesc);
    });

    it('answers 144 ten-minute buckets over 24 h, with null rates for buckets without tasks', async () => {
      const r = await t.call<{ model: string; points: Point[] }>('/api/v1/models/wan/2-7-text-to-video/success-rate');
      const { model, points } = r.body.data;
      assert.equal(model, 'wan/2-7-text-to-video');
      assert.equal(points.length, 144);
      for (let i = 0; i < points.length; i++) {
        assert.equal(points[i].end - points[i].start, TEN_MINUTES);
        if (i > 0) assert.equal(points[i].start, points[i - 1].end);
        assert.deepEqual(Object.keys(points[i]), ['start', 'end', 'successRate', 'errorRate', 'isNormal']);
      }
      assert.ok(points[143].end <= t.clock && t.clock - points[143].end < TEN_MINUTES);
      const empty = points.filter((p) => p.successRate === null);
      assert.ok(empty.length > 0 && empty.length < 40, String(empty.length));
      assert.ok(empty.every((p) => p.errorRate === null && p.isNormal));
      const rated = points.filter((p) => p.successRate !== null);
      assert.ok(rated.every((p) => Math.abs((p.successRate ?? 0) + (p.errorRate ?? 0) - 100) < 0.01 && p.isNormal));
    });

    it('shows Seedance 2.0 Fast\'s recent bad spell near 60 %, and a rate a test sets', async () => {
      const rates = async (model: string): Promise<Point[]> => (await t.call<{ points: Point[] }>(`/api/v1/models/${model}/success-rate`)).body.data.points;
      const fast = await rates('bytedance/seedance-2-fast');
      const lastHour = fast.slice(-6);
      assert.ok(lastHour.every((p) => p.successRate !== null && p.successRate < 65 && !p.isNormal), JSON.stringify(lastHour));
      assert.ok(fast.slice(0, 100).some((p) => p.successRate !== null && p.successRate > 90));
      t.sim.setSuccessRate('kling-3.0/video', 40);
      assert.ok((await rates('kling-3.0/video')).slice(-6).every((p) => p.successRate === 40 && !p.isNormal));
      t.sim.setSuccessRate('kling-3.0/video', null);
      assert.ok((await rates('kling-3.0/video')).slice(-6).every((p) => p.successRate === null || p.successRate > 85));
    });

    it('answers 404 for a model it does not list', async () => {
      assert.deepEqual((await t.call('/api/v1/models/sora-2-text-to-video/success-rate')).body, { code: 404, msg: 'Model not found', data: null });
    });
  });

  describe('the shared budget of one request a second', () => {
    it('drops a second discovery request within the second with 429 in an HTTP 200 body, whichever endpoint', async () => {
      await t.start();
      assert.equal((await t.call('/api/v1/models')).body.code, 200);
      for (const path of ['/api/v1/models/veo3/price', '/api/v1/models/kling-3.0/video/schema', '/api/v1/models/veo3/success-rate', '/api/v1/models']) {
        const r = await t.call(path);
        assert.equal(r.status, 200);
        assert.deepEqual(r.body, { code: 429, msg: 'Rate limit exceeded', data: null });
      }
      assert.equal((await t.call('/api/v1/chat/credit')).body.code, 200);
      t.clock += 999;
      assert.equal((await t.call('/api/v1/models/veo3/price')).body.code, 429);
      t.clock += 1;
      assert.equal((await t.call('/api/v1/models/veo3/price')).body.code, 200);
      t.clock += 1000;
      t.sim.setDiscoveryLimit(null);
      for (let i = 0; i < 3; i++) assert.equal((await t.call('/api/v1/models')).body.code, 200);
    });

    it('answers a wrong key with 401 before the budget', async () => {
      const r = await t.call('/api/v1/models', { key: 'wrong' });
      assert.deepEqual(r.body, { code: 401, msg: 'You do not have access permissions', data: null });
    });
  });
});

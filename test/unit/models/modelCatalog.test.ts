import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KieError } from '../../../src/core/kie/errors';
import { KieClient } from '../../../src/core/kie/kieClient';
import { startSimulator, type Simulator } from '../../../src/simulator/server';
import type { ListedModel, SuccessRatePoint } from '../../../src/core/kie/discoveryApi';
import { findBundled } from '../../../src/core/models/bundledSpecs';
import { validateChoices } from '../../../src/core/models/choiceValidation';
import { DiscoveryBudget } from '../../../src/core/models/discoveryBudget';
import { formFields } from '../../../src/core/models/formFields';
import { specFromSchema } from '../../../src/core/models/liveSpec';
import { ModelCatalog, type DiscoveryClient } from '../../../src/core/models/modelCatalog';
import { buildRequest } from '../../../src/core/models/requestBuilder';
import { resolvePointer } from '../../../src/core/models/schemaRefs';

/** An OpenAPI document shaped like Kie's: $refs into components, a percent-encoded key, a key with a trailing space, a oneOf input. */
function openapiFor(model: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    paths: {
      '/api/v1/jobs/createTask': {
        post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Create%20Request' } } } } },
      },
    },
    components: {
      schemas: {
        'Create Request': {
          type: 'object',
          required: ['model', 'input'],
          properties: { model: { type: 'string', enum: [model] }, input: { $ref: '#/components/schemas/Input ' } },
        },
        'Input ': {
          oneOf: [
            {
              type: 'object',
              required: ['prompt'],
              additionalProperties: false,
              properties: {
                prompt: { type: 'string', maxLength: 1500 },
                first_frame_url: { type: 'string', format: 'uri' },
                last_frame_url: { type: 'string', format: 'uri' },
                duration: { $ref: '#/components/schemas/Duration' },
                aspect_ratio: { type: 'string', enum: ['16:9', '9:16', '1:1'], default: '16:9' },
                camera_fixed: { type: 'boolean', default: false, description: 'Keep the camera still.' },
                style: { type: 'string', enum: ['cinematic', 'anime'], default: 'cinematic' },
                callBackUrl: { type: 'string' },
              },
            },
            {
              type: 'object',
              required: ['prompt'],
              additionalProperties: false,
              properties: {
                prompt: { type: 'string', maxLength: 1500 },
                reference_image_urls: { type: 'array', items: { type: 'string' }, maxItems: 4 },
                duration: { $ref: '#/components/schemas/Duration' },
              },
            },
          ],
        },
        Duration: { type: 'string', enum: ['5', '10'], default: '5' },
      },
    },
  };
}

const LIVE_ONLY: ListedModel = { model: 'acme/motion-1', title: 'Acme Motion 1', provider: 'Acme', taskTypes: ['Text to Video', 'Image to Video'], pricingDesc: '12 credits per second' };

class FakeDiscovery implements DiscoveryClient {
  calls: string[] = [];
  down = false;
  models: ListedModel[] = [LIVE_ONLY, { model: 'kling-3.0/video', title: 'Kling 3.0', provider: 'Kling', taskTypes: ['Text to Video'], pricingDesc: 'Kling text' }, { model: 'acme/image-gen', title: 'Image', provider: 'Acme', taskTypes: ['Text to Image'] }];
  constructor(
    private readonly clock: () => number,
    private readonly wall: () => number,
  ) {}
  private note(what: string): void {
    this.calls.push(`${what}@${this.clock()}`);
    if (this.down) throw new KieError({ kind: 'network', message: 'offline' });
  }
  async listModels(): Promise<ListedModel[]> {
    this.note('list');
    return this.models;
  }
  async modelSchema(model: string): Promise<Record<string, unknown> | undefined> {
    this.note(`schema:${model}`);
    if (model === 'kling-3.0/video') {
      const doc = openapiFor(model);
      const input = (doc.components as { schemas: Record<string, { oneOf?: unknown[] }> }).schemas['Input '];
      // Kie dropped Kling's 4K mode and the `sound` field since the spec was written.
      input.oneOf = [{ type: 'object', properties: { prompt: { type: 'string' }, mode: { type: 'string', enum: ['std', 'pro'] }, duration: { type: 'string' }, aspect_ratio: { type: 'string' } } }];
      return doc;
    }
    return openapiFor(model);
  }
  async modelSuccessRate(model: string): Promise<SuccessRatePoint[]> {
    this.note(`rate:${model}`);
    const end = this.wall();
    return [
      { start: end - 1_200_000, end: end - 600_000, successRate: 0.5 },
      { start: end - 600_000, end, successRate: 0.7 },
      { start: end - 600_000, end },
    ];
  }
}

describe('live model specs from Kie schemas', () => {
  it('resolves percent-encoded and trailing-space component keys', () => {
    const doc = openapiFor('m');
    assert.ok(resolvePointer(doc, '#/components/schemas/Create%20Request'));
    assert.ok(resolvePointer(doc, '#/components/schemas/Input%20'));
    assert.ok(resolvePointer(doc, '#/components/schemas/Input'), 'a key published with a trailing space is still found');
  });

  it('turns enums, booleans and known names into form fields, and a oneOf into exclusive image slots', () => {
    const spec = specFromSchema(LIVE_ONLY, openapiFor(LIVE_ONLY.model));
    assert.ok(spec);
    assert.equal(spec.source, 'live');
    assert.equal(spec.prompt.max, 1500);
    assert.deepEqual(spec.images.first, { field: 'first_frame_url' });
    assert.deepEqual(spec.images.references, { field: 'reference_image_urls', max: 4 });
    assert.equal(spec.images.exclusive, true);
    const fields = formFields(spec).map((f) => (f.kind === 'option' ? `${f.key}:${f.control}` : f.kind === 'image' ? `image:${f.role}` : f.kind));
    assert.deepEqual(fields, ['prompt', 'duration:select', 'aspect:select', 'option:camera_fixed:toggle', 'option:style:select', 'image:first', 'image:last', 'image:references']);
    const req = buildRequest(spec, { prompt: 'p', duration: 10, images: { first: 'https://a/f.png' } });
    assert.deepEqual(req.input, { prompt: 'p', duration: '10', aspect_ratio: '16:9', camera_fixed: false, style: 'cinematic', first_frame_url: 'https://a/f.png' });
    assert.deepEqual(validateChoices(spec, { prompt: 'p', images: { first: 'f', references: ['r'] } }).map((i) => i.code), ['framesOrReferences']);
  });
});

describe('ModelCatalog', () => {
  let dir: string;
  let clock: number;
  let budgetClock: number;
  let fake: FakeDiscovery;
  const sleeps: number[] = [];
  const make = (discovery: () => Promise<DiscoveryClient | undefined> = async () => fake, logs: string[] = []) =>
    new ModelCatalog({
      discovery,
      cacheFile: join(dir, 'catalog.json'),
      now: () => clock,
      log: (l) => logs.push(l),
      budget: new DiscoveryBudget(1000, () => budgetClock, async (ms) => {
        sleeps.push(ms);
        budgetClock += ms;
      }),
    });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sora-catalog-'));
    clock = 1_800_000_000_000;
    budgetClock = 0;
    sleeps.length = 0;
    fake = new FakeDiscovery(() => budgetClock, () => clock);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the bundled models offline and says so', async () => {
    fake.down = true;
    const catalog = make();
    await catalog.load();
    await catalog.refresh();
    assert.equal(catalog.info().source, 'bundled');
    assert.ok(catalog.list().every((m) => m.spec.source === 'bundled' && !m.spec.retired));
    assert.ok(catalog.spec('sora-2-text-to-video')?.retired, 'retired specs still resolve for old history');
  });

  it('adds models only the live catalog lists, with pricing text, and caches them for the next session', async () => {
    const catalog = make();
    await catalog.load();
    await catalog.refresh();
    const live = catalog.get('acme/motion-1');
    assert.ok(live, 'the live-only model is offered');
    assert.equal(live.pricingDesc, '12 credits per second');
    assert.equal(catalog.get('kling-3.0/video')?.pricingDesc, 'Kling text');
    assert.equal(catalog.get('acme/image-gen'), undefined, 'image models are not offered');
    assert.equal(catalog.info().source, 'live');
    assert.deepEqual(fake.calls.map((c) => c.split('@')[0]), ['list', 'schema:acme/motion-1']);

    fake.down = true;
    const next = make();
    await next.load();
    assert.ok(next.get('acme/motion-1'), 'the cached catalog serves a new session without the network');
    assert.equal(next.info().source, 'cache');
    await next.refresh();
    assert.equal(fake.calls.length, 2, 'a catalog younger than a day is not fetched again');
  });

  it('never starts two discovery requests less than a second apart', async () => {
    const catalog = make();
    await catalog.refresh();
    await Promise.all([catalog.ensureSchema('kling-3.0/video'), catalog.successRate('acme/motion-1'), catalog.successRate('veo3_fast')]);
    const times = fake.calls.map((c) => Number(c.split('@')[1]));
    assert.ok(times.length >= 4);
    for (let i = 1; i < times.length; i++) assert.ok(times[i] - times[i - 1] >= 1000, `calls at ${times.join(', ')}`);
  });

  it('refreshes in the background once a day has passed', async () => {
    const catalog = make();
    await catalog.refresh();
    const before = fake.calls.length;
    clock += 23 * 3600_000;
    await catalog.refresh();
    assert.equal(fake.calls.length, before);
    clock += 2 * 3600_000;
    await catalog.refresh();
    assert.ok(fake.calls.length > before);
  });

  it('reads the last hour of success rate, ignoring buckets with no tasks', async () => {
    const catalog = make();
    const rate = await catalog.successRate('veo3_fast');
    assert.ok(rate !== undefined && Math.abs(rate - 0.6) < 1e-9);
    assert.equal(catalog.get('veo3_fast')?.successRate, rate);
  });

  it('does not send what the live schema of a bundled model no longer takes, and logs it', async () => {
    const logs: string[] = [];
    const catalog = make(async () => fake, logs);
    await catalog.ensureSchema('kling-3.0/video');
    const spec = findBundled('kling-3.0/video')!;
    const sent = catalog.prepare(spec, buildRequest(spec, { prompt: 'p', resolution: '4K', audio: true }));
    assert.equal('sound' in sent.input, false);
    assert.equal('mode' in sent.input, false, 'a value the schema dropped is not sent');
    assert.equal(sent.input.duration, '5');
    assert.ok(logs.some((l) => /no longer takes .*sound/.test(l)), logs.join('\n'));
  });

  it('checks a built request against the live schema with a standard validator', async () => {
    const catalog = make();
    await catalog.refresh();
    const spec = catalog.spec('acme/motion-1')!;
    assert.deepEqual(catalog.schemaProblems(spec, buildRequest(spec, { prompt: 'p' })), []);
    const bad = catalog.schemaProblems(spec, { model: spec.apiModel, input: { duration: '7' } });
    assert.ok(bad.length > 0);
  });

  it('names live alternatives of the same kind, the declared successor first', async () => {
    const catalog = make();
    await catalog.refresh();
    const alts = catalog.alternatives('sora-2-text-to-video').map((s) => s.id);
    assert.equal(alts[0], 'veo3_fast');
    catalog.markUnavailable('veo3_fast');
    assert.ok(!catalog.alternatives('sora-2-text-to-video').some((s) => s.id === 'veo3_fast'));
    assert.equal(catalog.get('veo3_fast')?.unavailable, true);
  });
});

describe('ModelCatalog against the simulator (real client, Kie-shaped schemas)', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let kie: KieClient;
  let dir: string;

  before(async () => {
    sim = await startSimulator({ apiKey: 'catalog-test-key', defaultDurationMs: 300 });
    kie = new KieClient({ apiBaseUrl: sim.url, uploadBaseUrl: sim.uploadUrl, imgbbBaseUrl: sim.imgbbUrl, apiKey: 'catalog-test-key' });
    dir = mkdtempSync(join(tmpdir(), 'sora-catalog-sim-'));
  });
  after(async () => {
    await kie.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds working specs for models only the live catalog lists, within the one-a-second budget', async () => {
    const catalog = new ModelCatalog({ discovery: async () => kie, cacheFile: join(dir, 'models.json') });
    await catalog.refresh();
    const discovery = sim.requests.filter((r) => r.path.startsWith('/api/v1/models'));
    assert.ok(discovery.length >= 2);
    const rateLimited = discovery.filter((r) => (r as { code?: number }).code === 429);
    assert.equal(rateLimited.length, 0, 'no discovery request over the shared budget');
    const liveOnly = catalog.list().filter((m) => m.spec.source === 'live');
    assert.ok(liveOnly.length >= 1, 'the simulator lists a model no bundled spec knows');
    for (const { spec } of liveOnly) {
      const req = buildRequest(spec, { prompt: 'A slow pan across a misty valley at sunrise' });
      assert.deepEqual(validateChoices(spec, { prompt: 'A slow pan across a misty valley at sunrise' }), [], spec.id);
      assert.deepEqual(catalog.schemaProblems(spec, req), [], spec.id);
      const taskId = await kie.createTask(spec.family, req);
      assert.ok(taskId, `${spec.id} accepted by the simulator's schema validation`);
    }
  });
});

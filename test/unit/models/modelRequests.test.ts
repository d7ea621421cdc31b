import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { BUNDLED_SPECS, findBundled } from '../../../src/core/models/bundledSpecs';
import { carryOver } from '../../../src/core/models/carryOver';
import { validateChoices } from '../../../src/core/models/choiceValidation';
import { formFields } from '../../../src/core/models/formFields';
import { priceFor } from '../../../src/core/models/pricing';
import { buildRequest } from '../../../src/core/models/requestBuilder';
import type { ModelSpec, VideoChoices } from '../../../src/core/models/spec';

const SCHEMAS = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'kie-schemas');
const SCHEMA_FILE: Record<string, string> = {
  veo3: 'veo__generate.json',
  veo3_fast: 'veo__generate.json',
  veo3_lite: 'veo__generate.json',
  'kling-3.0/video': 'kling-3.0__video.json',
  'bytedance/seedance-2': 'bytedance__seedance-2.json',
  'bytedance/seedance-2-fast': 'bytedance__seedance-2-fast.json',
  'wan/2-7-text-to-video': 'wan__2-7-text-to-video.json',
  'wan/2-7-image-to-video': 'wan__2-7-image-to-video.json',
  'hailuo/2-3-image-to-video-standard': 'hailuo__2-3-image-to-video-standard.json',
  'hailuo/2-3-image-to-video-pro': 'hailuo__2-3-image-to-video-pro.json',
  'grok-imagine/text-to-video': 'grok-imagine__text-to-video.json',
  'grok-imagine/image-to-video': 'grok-imagine__image-to-video.json',
};
/** September 2026 fields Kie's June schemas predate (kie-api.md §8): the June enum is widened for them. */
const NEWER_THAN_JUNE: Record<string, string[]> = { 'veo__generate.json': ['duration'] };

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat('uri', true);

function wireBody(spec: ModelSpec, choices: VideoChoices): Record<string, unknown> {
  const req = buildRequest(spec, choices);
  return spec.family === 'veo' ? { ...req.input, model: req.model } : { model: req.model, input: req.input };
}

function typical(spec: ModelSpec): VideoChoices {
  const choices: VideoChoices = { prompt: 'A paper boat drifting down a rain-soaked street at dusk' };
  if (spec.images.first?.required) choices.images = { first: 'https://files.example/first.png' };
  return choices;
}

function validateAgainstKie(spec: ModelSpec, body: Record<string, unknown>): string[] {
  const file = SCHEMA_FILE[spec.id];
  const schema = JSON.parse(readFileSync(path.join(SCHEMAS, file), 'utf8'));
  for (const field of NEWER_THAN_JUNE[file] ?? []) delete (schema.properties.input?.properties ?? schema.properties)[field];
  const check = ajv.compile(schema);
  return check(body) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('model specs → requests', () => {
  const live = BUNDLED_SPECS.filter((s) => !s.retired);

  for (const spec of live.filter((s) => SCHEMA_FILE[s.id])) {
    it(`${spec.id}: a typical form passes Kie's published schema`, () => {
      const choices = typical(spec);
      assert.deepEqual(validateChoices(spec, choices), []);
      assert.deepEqual(validateAgainstKie(spec, wireBody(spec, choices)), []);
    });
  }

  it('every live bundled model validates a typical form and has a price for it', () => {
    for (const spec of live) {
      const choices = typical(spec);
      assert.deepEqual(validateChoices(spec, choices), [], spec.id);
      assert.ok((priceFor(spec, choices).credits ?? 0) > 0, `${spec.id} has no price for its defaults`);
      assert.ok(spec.price?.checked, spec.id);
    }
  });

  it('Veo 3.1 at 1080p sends resolution and duration explicitly, and the generation type from the images', () => {
    const veo = findBundled('veo3_fast')!;
    const body = wireBody(veo, { prompt: 'p', resolution: '1080p', duration: 6, aspect: '9:16' });
    assert.equal(body.resolution, '1080p');
    assert.equal(body.duration, 6);
    assert.equal(body.aspect_ratio, '9:16');
    assert.equal(body.generationType, 'TEXT_2_VIDEO');
    assert.equal(body.model, 'veo3_fast');
    const frames = wireBody(veo, { prompt: 'p', images: { first: 'https://a/1.png', last: 'https://a/2.png' } });
    assert.deepEqual(frames.imageUrls, ['https://a/1.png', 'https://a/2.png']);
    assert.equal(frames.generationType, 'FIRST_AND_LAST_FRAMES_2_VIDEO');
    const refs = wireBody(veo, { prompt: 'p', images: { references: ['https://a/r.png'] } });
    assert.equal(refs.generationType, 'REFERENCE_2_VIDEO');
  });

  it('names each concept the way the model does', () => {
    const wan = buildRequest(findBundled('wan/2-7-text-to-video')!, { prompt: 'p', aspect: '1:1', duration: 7 });
    assert.equal(wan.input.ratio, '1:1');
    assert.equal(wan.input.aspect_ratio, undefined);
    assert.equal(wan.input.duration, 7);
    const kling = buildRequest(findBundled('kling-3.0/video')!, { prompt: 'p', duration: 7, audio: true, images: { first: 'https://a/f.png', last: 'https://a/l.png' } });
    assert.equal(kling.input.duration, '7', 'Kling 3.0 takes the duration as a string');
    assert.equal(kling.input.sound, true);
    assert.deepEqual(kling.input.image_urls, ['https://a/f.png', 'https://a/l.png']);
    assert.equal(kling.input.multi_shots, false);
    const seedance = buildRequest(findBundled('bytedance/seedance-2')!, { prompt: 'a cat', images: { first: 'https://a/f.png' } });
    assert.equal(seedance.input.first_frame_url, 'https://a/f.png');
    assert.equal(seedance.input.generate_audio, true);
    const hailuo = buildRequest(findBundled('hailuo/2-3-image-to-video-pro')!, { prompt: 'p', images: { first: 'https://a/f.png' } });
    assert.equal(hailuo.input.image_url, 'https://a/f.png');
    assert.equal(hailuo.input.duration, '6');
  });

  it('reports what a model does not take instead of dropping it', () => {
    const wanI2v = findBundled('wan/2-7-image-to-video')!;
    const codes = validateChoices(wanI2v, { prompt: 'p', aspect: '16:9', options: { nonsense: 1 } }).map((i) => `${i.field}:${i.code}`);
    assert.deepEqual(codes.sort(), ['aspect:notOffered', 'first:imageRequired', 'option:nonsense:unknownOption']);
    const veo = findBundled('veo3_fast')!;
    const issues = validateChoices(veo, { prompt: 'p', duration: 5, resolution: '8k', images: { references: ['a', 'b', 'c', 'd'], first: 'f' } });
    assert.deepEqual(issues.map((i) => `${i.field}:${i.code}`).sort(), ['duration:notAllowed', 'duration:referenceDuration', 'references:framesOrReferences', 'references:tooManyReferences', 'resolution:notAllowed']);
    assert.deepEqual(validateChoices(findBundled('hailuo/2-3-image-to-video-standard')!, { prompt: 'p', resolution: '1080P', duration: 10, images: { first: 'x' } }).map((i) => i.code), ['notAllowed']);
    assert.deepEqual(validateChoices(veo, { prompt: '   ' }).map((i) => i.code), ['promptEmpty']);
    assert.deepEqual(validateChoices(findBundled('sora-2-text-to-video')!, { prompt: 'p' }).map((i) => i.code), ['retired']);
  });

  it('prices per second by resolution and audio, or per video', () => {
    const kling = findBundled('kling-3.0/video')!;
    assert.equal(priceFor(kling, { prompt: 'p', duration: 10, resolution: 'pro', audio: true }).credits, 270);
    assert.equal(priceFor(kling, { prompt: 'p', duration: 5, resolution: '4K' }).credits, 335);
    assert.equal(priceFor(findBundled('veo3')!, { prompt: 'p', resolution: '4k' }).credits, 380);
    assert.equal(priceFor(findBundled('bytedance/seedance-2-fast')!, { prompt: 'p', duration: 4, resolution: '480p' }).credits, 46.8);
    assert.equal(priceFor(findBundled('hailuo/2-3-image-to-video-pro')!, { prompt: 'p', duration: 10 }).credits, 90);
  });

  it('carries choices to another model through their meaning and names what it drops', () => {
    const from = findBundled('sora-2-image-to-video')!;
    const to = findBundled('kling-3.0/video')!;
    const moved = carryOver(from, to, { prompt: 'p', aspect: 'landscape', duration: 15, options: { remove_watermark: true }, images: { first: 'img.png' } });
    assert.equal(moved.choices.duration, 15);
    assert.deepEqual(moved.choices.images, { first: 'img.png' });
    assert.deepEqual(moved.dropped.sort(), ['aspect', 'remove_watermark']);
    const hailuo = carryOver(to, findBundled('hailuo/2-3-image-to-video-pro')!, { prompt: 'p', resolution: 'pro' });
    assert.equal(hailuo.choices.resolution, '1080P', "Kling's pro means 1080p, which Hailuo spells 1080P");
  });

  it('turns a spec into form fields in one place', () => {
    const fields = formFields(findBundled('bytedance/seedance-2')!);
    assert.deepEqual(fields.map((f) => (f.kind === 'option' ? f.key : f.kind === 'image' ? `image:${f.role}` : f.kind)), [
      'prompt', 'aspect', 'duration', 'resolution', 'audio', 'option:return_last_frame', 'image:first', 'image:last', 'image:references',
    ]);
  });
});

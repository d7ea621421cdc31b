import assert from 'node:assert/strict';
import { BUNDLED_SPECS, findBundled } from '../../../src/core/models/bundledSpecs';
import type { ModelSpec } from '../../../src/core/models/spec';
import { imageModel, legacyAspect, remembered, requestFromRecord, startRequest, usableModel, type FormMemory, type SpecSource } from '../../../src/vscode/generate/formDefaults';
import { fitRequest } from '../../../src/webview/modelSwitch';
import type { ModelEntry } from '../../../src/webview/messages';

/** The catalog as the form reads it: retired models are not offered, but their specs are known. */
function catalogOf(extra: ModelSpec[] = []): SpecSource {
  const specs = [...BUNDLED_SPECS, ...extra];
  const list: ModelEntry[] = specs.filter((s) => !s.retired).map((spec) => ({ spec }));
  return { list: () => list, spec: (id) => specs.find((s) => s.id === id) };
}
const entries = catalogOf();
const spec = (id: string) => findBundled(id)!;
const empty: FormMemory = { choices: {} };

describe('form defaults', () => {
  it('opens on the configured model, any catalog id; a retired one moves to its successor; unknown ones to Veo 3.1 Fast', () => {
    assert.equal(usableModel(entries, 'kling-3.0/video').id, 'kling-3.0/video');
    const liveOnly: ModelSpec = { ...spec('kling-3.0/video'), id: 'acme/motion-1', apiModel: 'acme/motion-1', source: 'live' };
    assert.equal(usableModel(catalogOf([liveOnly]), 'acme/motion-1').id, 'acme/motion-1');
    assert.equal(usableModel(entries, 'sora-2-pro-text-to-video').id, 'veo3');
    assert.equal(usableModel(entries, 'sora-2-text-to-video').id, 'veo3_fast');
    assert.equal(usableModel(entries, 'no-such-model').id, 'veo3_fast');
  });

  it('reads the Sora-era orientation settings as aspect ratios', () => {
    assert.equal(legacyAspect('landscape'), '16:9');
    assert.equal(legacyAspect('portrait'), '9:16');
    assert.equal(legacyAspect('1:1'), '1:1');
    const req = startRequest(spec('kling-3.0/video'), { defaultModel: 'kling-3.0/video', aspectRatio: 'portrait', duration: 10 }, empty);
    assert.equal(req.aspect, '9:16');
    assert.equal(req.duration, 10);
  });

  it('a model used before starts from its last choices, not the settings', () => {
    const memory = remembered(empty, { model: 'veo3_fast', prompt: 'secret', aspect: '9:16', resolution: '4k', images: { first: '/a.png' } }, spec('veo3_fast'));
    assert.deepEqual(memory.choices.veo3_fast, { prompt: '', aspect: '9:16', resolution: '4k' }, 'no prompt, no images');
    assert.equal(memory.lastImageModel, 'veo3_fast');
    const req = startRequest(spec('veo3_fast'), { defaultModel: 'veo3_fast', aspectRatio: 'landscape' }, memory, 'new prompt');
    assert.deepEqual(req, { model: 'veo3_fast', prompt: 'new prompt', aspect: '9:16', resolution: '4k' });
  });

  it('"Generate Video from Image" opens on the last image-capable model used, first time Veo 3.1 Fast', () => {
    assert.equal(imageModel(entries, empty).id, 'veo3_fast');
    assert.equal(imageModel(entries, { choices: {}, lastImageModel: 'bytedance/seedance-2' }).id, 'bytedance/seedance-2');
    assert.equal(imageModel(entries, { choices: {}, lastImageModel: 'wan/2-7-text-to-video' }).id, 'veo3_fast', 'a text-only model cannot take the image');
    assert.equal(imageModel(entries, { choices: {}, lastImageModel: 'sora-2-image-to-video' }).id, 'veo3_fast', 'a retired model is not offered');
  });

  it('"Generate Again" of a Sora-era task: prompt, image, aspect ratio and duration reach the live successor', () => {
    const old = { model: 'sora-2-image-to-video', prompt: 'The sun rises', aspectRatio: 'portrait', duration: '10', removeWatermark: true, imageUrls: ['https://x/u.png'] };
    const request = requestFromRecord({ request: old as never, sourceImage: '/w/images/sunrise.png' });
    assert.deepEqual(request, { model: 'sora-2-image-to-video', prompt: 'The sun rises', aspect: '9:16', duration: 10, options: { remove_watermark: true }, images: { first: '/w/images/sunrise.png' } });
    const to = usableModel(entries, request.model);
    const moved = fitRequest(spec(request.model), to, request);
    assert.deepEqual(moved.request, { model: 'veo3_fast', prompt: 'The sun rises', aspect: '9:16', duration: 8, images: { first: '/w/images/sunrise.png' } });
    assert.deepEqual(moved.dropped, ['remove_watermark'], 'the 10 s became Veo\'s closest length, 8 s; only Sora\'s own option is left behind');
  });

  it('"Generate Again" of a task of today: the local files, not the uploaded URLs', () => {
    const request = requestFromRecord({
      request: { model: 'kling-3.0/video', prompt: 'p', duration: 7, images: { first: 'https://kie/f.png', last: 'https://kie/l.png' } },
      sourceImages: { first: '/w/f.png', last: '/w/l.png' },
    });
    assert.deepEqual(request, { model: 'kling-3.0/video', prompt: 'p', duration: 7, images: { first: '/w/f.png', last: '/w/l.png' } });
  });

  it('switching models keeps what applies and names what it drops', () => {
    const moved = fitRequest(spec('kling-3.0/video'), spec('wan/2-7-text-to-video'), { prompt: 'p', aspect: '1:1', audio: true, resolution: 'pro', images: { first: '/f.png' } });
    assert.equal(moved.request.aspect, '1:1');
    assert.equal(moved.request.resolution, '1080p', "Kling's pro means 1080p");
    assert.deepEqual(moved.dropped.sort(), ['audio', 'first']);
  });

});

import assert from 'node:assert/strict';
import { findBundled } from '../../../src/core/models/bundledSpecs';
import { validateChoices } from '../../../src/core/models/choiceValidation';
import type { VideoChoices } from '../../../src/core/models/spec';
import { issueText } from '../../../src/vscode/generate/formIssueText';
import type { Translate } from '../../../src/vscode/presentation/translate';

/** Marks translated text so the test sees that every sentence went through the translator. */
const t: Translate = (message, ...args) => `«${message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]))}»`;

/** The worded issues of a choice, by field, as the form shows them next to each field. */
function texts(model: string, choices: VideoChoices): Record<string, string[]> {
  const spec = findBundled(model)!;
  const out: Record<string, string[]> = {};
  for (const issue of validateChoices(spec, choices)) (out[issue.field] ??= []).push(issueText(issue, spec, t, (id) => findBundled(id)?.label ?? id));
  return out;
}

describe('issueText', () => {
  it('says a blank prompt needs writing', () => {
    assert.deepEqual(texts('veo3_fast', { prompt: '   ' }), { prompt: ['«Write a prompt describing the video.»'] });
  });

  it('gives the length and the model limit for a long prompt, and the minimum for a short one', () => {
    assert.deepEqual(texts('kling-3.0/video', { prompt: 'x'.repeat(2501) }), { prompt: ['«The prompt has 2501 characters; Kling 3.0 accepts at most 2500.»'] });
    assert.deepEqual(texts('bytedance/seedance-2', { prompt: 'ab' }), { prompt: ['«Seedance 2.0 needs a prompt of at least 3 characters.»'] });
  });

  it('names the field in the user\'s words and the values the model takes', () => {
    assert.deepEqual(texts('veo3_fast', { prompt: 'p', resolution: '8k' }), { resolution: ['«Veo 3.1 Fast does not take «Resolution» “8k”: choose 720p, 1080p, 4k.»'] });
    assert.deepEqual(texts('kling-3.0/video', { prompt: 'p', duration: 20 }), { duration: ['«Kling 3.0 takes «Duration» from 3 to 15, not “20”.»'] });
    assert.deepEqual(texts('wan/2-7-text-to-video', { prompt: 'p', negative: 'n'.repeat(501) }), { negative: ['««Negative prompt» has 501 characters; at most 500.»'] });
  });

  it('explains image problems next to the slot they are about', () => {
    assert.deepEqual(texts('hailuo/2-3-image-to-video-pro', { prompt: 'p' }), { first: ['«Hailuo 2.3 Pro starts from an image: choose a PNG, JPEG or WebP file.»'] });
    assert.deepEqual(texts('wan/2-7-text-to-video', { prompt: 'p', images: { first: '/a.png' } }), {
      first: ['«Wan 2.7 does not start from an image: remove it or pick an image-to-video model.»'],
    });
    assert.deepEqual(texts('veo3_fast', { prompt: 'p', images: { first: '/a.png', references: ['/r.png'] } }).references, [
      '«Veo 3.1 Fast takes frames or reference images, not both: remove one or the other.»',
    ]);
    assert.deepEqual(texts('kling-3.0/video', { prompt: 'p', images: { last: '/l.png' } }), { last: ['«A last frame needs a first frame.»'] });
  });

  it('a retired model names its successor by its label', () => {
    assert.deepEqual(texts('sora-2-pro-text-to-video', { prompt: 'p' }), { model: ['«Sora 2 Pro is retired: Kie no longer serves it. Use Veo 3.1 Quality instead.»'] });
  });

  it('words every issue code (none falls through to an empty sentence)', () => {
    const spec = findBundled('veo3_fast')!;
    const codes = ['promptEmpty', 'promptTooLong', 'promptTooShort', 'notOffered', 'notAllowed', 'outOfRange', 'required', 'imageRequired', 'lastNeedsFirst', 'tooManyReferences', 'tooFewReferences', 'framesOrReferences', 'referenceDuration', 'unknownOption', 'retired', 'unknownModel', 'schema'] as const;
    for (const code of codes) {
      const text = issueText({ field: 'prompt', code, values: { max: 3, min: 1, count: 4, value: 'v', allowed: '8' }, message: 'm' }, spec, t);
      assert.match(text, /^«.+»$/, code);
    }
  });
});

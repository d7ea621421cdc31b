import assert from 'node:assert/strict';
import { findBundled } from '../../src/core/models/bundledSpecs';
import { validateChoices } from '../../src/core/models/choiceValidation';
import type { GenerationRequest } from '../../src/core/models/spec';
import { issueFormField, issueText } from '../../src/vscode/formIssueText';
import type { Translate } from '../../src/vscode/translate';

/** Marks translated text so the test sees that every sentence went through the translator. */
const t: Translate = (message, ...args) => `«${message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]))}»`;

function texts(request: GenerationRequest): Record<string, string> {
  return Object.fromEntries(validateChoices(findBundled(request.model)!, request).map((issue) => [issueFormField(issue), issueText(issue, request, t)]));
}

describe('issueText', () => {
  it('says a blank prompt needs writing', () => {
    assert.deepEqual(texts({ model: 'veo3_fast', prompt: '   ' }), { prompt: '«Write a prompt describing the video.»' });
  });

  it('gives the length and the model limit for a long prompt', () => {
    assert.equal(texts({ model: 'veo3_fast', prompt: 'x'.repeat(10_001) }).prompt, '«The prompt has 10001 characters; Veo 3.1 Fast accepts at most 10000.»');
  });

  it('names the model that needs an image', () => {
    assert.equal(texts({ model: 'hailuo/2-3-image-to-video-pro', prompt: 'a cat' }).image, '«Hailuo 2.3 Pro starts from an image: choose a PNG, JPEG or WebP file.»');
  });

  it('names the model that takes no image', () => {
    assert.equal(texts({ model: 'wan/2-7-text-to-video', prompt: 'a cat', images: { first: '/w/cat.png' } }).image, '«Wan 2.7 does not take an image: remove it or pick an image-to-video model.»');
  });

  it('covers option fields', () => {
    const out = texts({ model: 'veo3_fast', prompt: 'a cat', aspect: 'square', duration: 25 });
    assert.equal(out.aspectRatio, '«Veo 3.1 Fast does not offer this choice: pick one from the list.»');
    assert.equal(out.duration, out.aspectRatio);
  });
});

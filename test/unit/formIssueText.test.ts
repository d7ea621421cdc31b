import assert from 'node:assert/strict';
import { validateInput, type GenerationInput } from '../../src/core/media/imageCheck';
import { issueText } from '../../src/vscode/formIssueText';
import type { Translate } from '../../src/vscode/translate';

/** Marks translated text so the test sees that every sentence went through the translator. */
const t: Translate = (message, ...args) => `«${message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]))}»`;

function texts(input: GenerationInput): Record<string, string> {
  return Object.fromEntries(validateInput(input).map((issue) => [issue.field, issueText(issue, input, t)]));
}

describe('issueText', () => {
  it('says a blank prompt needs writing', () => {
    assert.deepEqual(texts({ model: 'veo3_fast', prompt: '   ', aspectRatio: 'landscape', duration: '8' }), {
      prompt: '«Write a prompt describing the video.»',
    });
  });

  it('gives the length and the model limit for a long prompt', () => {
    const out = texts({ model: 'veo3_fast', prompt: 'x'.repeat(10_001), aspectRatio: 'landscape', duration: '8' });
    assert.equal(out.prompt, '«The prompt has 10001 characters; Veo 3.1 Fast accepts at most 10000.»');
  });

  it('names the model that needs an image', () => {
    const out = texts({ model: 'sora-2-image-to-video', prompt: 'a cat', aspectRatio: 'landscape', duration: '10' });
    assert.equal(out.image, '««Sora 2 · «image to video»» starts from an image: choose a PNG, JPEG or WebP file.»');
  });

  it('names the model that takes no image', () => {
    const out = texts({ model: 'sora-2-text-to-video', prompt: 'a cat', aspectRatio: 'landscape', duration: '10', imagePath: '/w/cat.png' });
    assert.equal(out.image, '««Sora 2 · «text to video»» does not take an image: remove it or pick an image-to-video model.»');
  });

  it('covers option fields and unknown models', () => {
    const out = texts({ model: 'sora-2-text-to-video', prompt: 'a cat', aspectRatio: 'square', duration: '25' });
    assert.equal(out.aspectRatio, '««Sora 2 · «text to video»» does not offer this choice: pick one from the list.»');
    assert.equal(out.duration, out.aspectRatio);
    assert.equal(texts({ model: 'sora-3', prompt: 'a cat', aspectRatio: 'landscape' }).model, '«Unknown model "sora-3": pick one from the list.»');
  });
});

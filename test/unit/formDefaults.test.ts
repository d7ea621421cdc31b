import * as assert from 'node:assert/strict';
import { findModel } from '../../src/core/models/catalog';
import type { GenerationRequest } from '../../src/core/models/spec';
import { findBundled } from '../../src/core/models/bundledSpecs';
import { validateChoices } from '../../src/core/models/choiceValidation';
import { formDefaults, formFromRequest, formToRequest, imageCapableModel, withModel } from '../../src/vscode/formDefaults';

describe('form defaults from settings', () => {
  it('fits the configured duration to the model (Veo is fixed at 8 s)', () => {
    const form = formDefaults({ defaultModel: 'veo3_fast', aspectRatio: 'portrait', duration: '10', removeWatermark: true });
    assert.deepEqual(form, { prompt: '', model: 'veo3_fast', aspectRatio: 'portrait', duration: '8', size: 'standard', removeWatermark: true });
  });

  it('keeps a duration the model offers', () => {
    assert.equal(formDefaults({ defaultModel: 'sora-2-text-to-video', aspectRatio: 'landscape', duration: '15', removeWatermark: false }).duration, '15');
  });

  it('falls back to the default model for an unknown id', () => {
    assert.equal(formDefaults({ defaultModel: 'sora-9', aspectRatio: 'landscape', duration: '10', removeWatermark: true }).model, 'veo3_fast');
  });

  it('picks an image-capable model, keeping the current one when it takes images', () => {
    assert.equal(imageCapableModel('veo3'), 'veo3');
    assert.equal(imageCapableModel('sora-2-image-to-video'), 'sora-2-image-to-video');
    const picked = findModel(imageCapableModel('sora-2-text-to-video'));
    assert.ok(picked && picked.image !== 'none' && !picked.retired);
  });

  it('switches model keeping what still fits', () => {
    const pro = withModel({ prompt: 'p', model: 'veo3_fast', aspectRatio: 'portrait', duration: '8', size: 'high', removeWatermark: true }, 'sora-2-pro-text-to-video');
    assert.deepEqual(pro, { prompt: 'p', model: 'sora-2-pro-text-to-video', aspectRatio: 'portrait', duration: '10', size: 'high', removeWatermark: true });
  });

  it('rebuilds the form of a past request', () => {
    const fallback = formDefaults({ defaultModel: 'veo3_fast', aspectRatio: 'landscape', duration: '10', removeWatermark: true });
    const stored = { model: 'sora-2-pro-text-to-video', prompt: 'fox', aspectRatio: 'portrait', duration: '15', size: 'high', removeWatermark: false };
    const form = formFromRequest(stored as unknown as GenerationRequest, fallback);
    assert.deepEqual(form, { prompt: 'fox', model: 'sora-2-pro-text-to-video', aspectRatio: 'portrait', duration: '15', size: 'high', removeWatermark: false });
  });

  it('turns a form into a request the model layer validates, Veo ratios in Veo\'s words', () => {
    const veo = formToRequest({ prompt: 'fox', model: 'veo3_fast', aspectRatio: 'portrait', duration: '8', size: 'standard', removeWatermark: true });
    assert.deepEqual(veo, { model: 'veo3_fast', prompt: 'fox', aspect: '9:16', duration: 8 });
    assert.deepEqual(validateChoices(findBundled('veo3_fast')!, veo), []);
    const withImage = formToRequest({ prompt: 'fox', model: 'veo3', aspectRatio: 'landscape', duration: '8', size: 'standard', removeWatermark: true }, '/img.png');
    assert.deepEqual(withImage.images, { first: '/img.png' });
    assert.deepEqual(validateChoices(findBundled('veo3')!, withImage), []);
  });
});

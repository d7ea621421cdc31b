import * as assert from 'node:assert/strict';
import { findModel } from '../../src/core/models/catalog';
import { validateInput } from '../../src/core/media/imageCheck';
import { formDefaults, formFromRequest, formToInput, imageCapableModel, withModel } from '../../src/vscode/formDefaults';

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
    const form = formFromRequest({ model: 'sora-2-pro-text-to-video', prompt: 'fox', aspectRatio: 'portrait', duration: '15', size: 'high', removeWatermark: false }, fallback);
    assert.deepEqual(form, { prompt: 'fox', model: 'sora-2-pro-text-to-video', aspectRatio: 'portrait', duration: '15', size: 'high', removeWatermark: false });
  });

  it('turns a form into input the core accepts, without options the model lacks', () => {
    const veo = formToInput({ prompt: 'fox', model: 'veo3_fast', aspectRatio: 'landscape', duration: '8', size: 'standard', removeWatermark: true });
    assert.deepEqual(veo, { model: 'veo3_fast', prompt: 'fox', aspectRatio: 'landscape', duration: '8' });
    assert.deepEqual(validateInput(veo), []);
    const pro = formToInput({ prompt: 'fox', model: 'sora-2-pro-image-to-video', aspectRatio: 'landscape', duration: '10', size: 'high', removeWatermark: false }, '/img.png');
    assert.deepEqual(pro, { model: 'sora-2-pro-image-to-video', prompt: 'fox', aspectRatio: 'landscape', duration: '10', size: 'high', removeWatermark: false, imagePath: '/img.png' });
    assert.deepEqual(validateInput(pro), []);
  });
});

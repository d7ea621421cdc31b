import assert from 'node:assert/strict';
import {
  MAX_FRAME_PNG_BYTES,
  parseCompareWebviewMessage,
  parseFormState,
  parseGenerateWebviewMessage,
  parsePlayerWebviewMessage,
  type FormState,
} from '../../../src/webview/messages';

const form: FormState = {
  request: {
    model: 'kling-3.0/video',
    prompt: 'A red fox in fresh snow',
    aspect: '16:9',
    duration: 7,
    resolution: 'pro',
    audio: true,
    options: { multi_shots: false },
    images: { first: 'img1', last: 'img2' },
  },
  variants: 2,
};

describe('webview message validators', () => {
  describe('parseFormState', () => {
    it('accepts a well-typed form and returns a copy without extra fields', () => {
      const parsed = parseFormState({ ...form, extra: 'dropped', request: { ...form.request, imagePath: '/etc/passwd' } });
      assert.deepEqual(parsed, form);
      assert.ok(parsed && !('extra' in parsed) && !('imagePath' in parsed.request));
    });

    for (const [name, change] of [
      ['prompt as number', { prompt: 42 }],
      ['model missing', { model: undefined }],
      ['model empty', { model: '' }],
      ['duration as string', { duration: '10' }],
      ['duration not finite', { duration: Infinity }],
      ['audio as string', { audio: 'true' }],
      ['seed as string', { seed: '7' }],
      ['an option holding an object', { options: { x: { y: 1 } } }],
      ['an option named like a prototype trick', { options: { 'a b': 1 } }],
      ['a file path where an image key belongs', { images: { first: '/etc/passwd' } }],
      ['references as a string', { images: { references: 'img1' } }],
      ['prompt as array', { prompt: ['a'] }],
    ] as const) {
      it(`rejects ${name}`, () => {
        assert.equal(parseFormState({ ...form, request: { ...form.request, ...change } }), undefined);
      });
    }

    it('takes 1 to 4 variants, whole numbers only', () => {
      for (const variants of [1, 4]) assert.ok(parseFormState({ ...form, variants }));
      for (const variants of [0, 5, 1.5, '2', undefined]) assert.equal(parseFormState({ ...form, variants }), undefined, String(variants));
    });

    it('rejects oversize strings at their limits', () => {
      const r = form.request;
      assert.ok(parseFormState({ ...form, request: { ...r, prompt: 'x'.repeat(50_000) } }));
      assert.equal(parseFormState({ ...form, request: { ...r, prompt: 'x'.repeat(50_001) } }), undefined);
      assert.ok(parseFormState({ ...form, request: { ...r, model: 'm'.repeat(200) } }));
      assert.equal(parseFormState({ ...form, request: { ...r, model: 'm'.repeat(201) } }), undefined);
      assert.equal(parseFormState({ ...form, request: { ...r, aspect: '1'.repeat(51) } }), undefined);
      assert.equal(parseFormState({ ...form, request: { ...r, images: { references: Array.from({ length: 51 }, (_, i) => `img${i}`) } } }), undefined);
    });

    it('rejects non-objects', () => {
      for (const v of [null, undefined, 'form', 7, [form], true]) assert.equal(parseFormState(v), undefined);
    });

    it('does not read fields inherited through a prototype', () => {
      const sneaky = Object.create(form) as unknown;
      assert.equal(parseFormState(sneaky), undefined);
      assert.equal(parseFormState({ __proto__: form }), undefined);
      assert.equal(parseFormState({ ...form, request: Object.create(form.request) }), undefined);
    });

    it('ignores a JSON "__proto__" key and keeps the prototype untouched', () => {
      const parsed = parseFormState(JSON.parse(`{"__proto__":{"polluted":true},${JSON.stringify(form).slice(1)}`));
      assert.deepEqual(parsed, form);
      assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  });

  describe('parseGenerateWebviewMessage', () => {
    it('accepts every message type', () => {
      for (const type of ['ready', 'setApiKey', 'refreshCredits'] as const) {
        assert.deepEqual(parseGenerateWebviewMessage({ type }), { type });
      }
      for (const type of ['submit', 'formChanged', 'savePromptFile'] as const) assert.deepEqual(parseGenerateWebviewMessage({ type, form }), { type, form });
      for (const role of ['first', 'last', 'references'] as const) {
        assert.deepEqual(parseGenerateWebviewMessage({ type: 'pickImage', role }), { type: 'pickImage', role });
        assert.deepEqual(parseGenerateWebviewMessage({ type: 'dropImage', role, uri: 'file:///w/cat.png' }), { type: 'dropImage', role, uri: 'file:///w/cat.png' });
        assert.deepEqual(parseGenerateWebviewMessage({ type: 'pathImage', role, path: 'images/cat.png' }), { type: 'pathImage', role, path: 'images/cat.png' });
      }
    });

    it('strips fields a message type does not have', () => {
      assert.deepEqual(parseGenerateWebviewMessage({ type: 'ready', form, uri: 'x' }), { type: 'ready' });
    });

    it('rejects unknown types and wrong type tags', () => {
      for (const v of [{ type: 'deleteEverything' }, { type: 'READY' }, { type: 1 }, { type: ['ready'] }, {}, null, 'ready', []]) {
        assert.equal(parseGenerateWebviewMessage(v), undefined, JSON.stringify(v));
      }
    });

    it('rejects a submit whose form is missing or malformed', () => {
      assert.equal(parseGenerateWebviewMessage({ type: 'submit' }), undefined);
      assert.equal(parseGenerateWebviewMessage({ type: 'submit', form: { ...form, request: { ...form.request, duration: 'long' } } }), undefined);
      assert.equal(parseGenerateWebviewMessage({ type: 'formChanged', form: JSON.stringify(form) }), undefined);
    });

    it('rejects an image message without a known slot, a string URI or path, or with an oversize one', () => {
      assert.equal(parseGenerateWebviewMessage({ type: 'dropImage', role: 'first' }), undefined);
      assert.equal(parseGenerateWebviewMessage({ type: 'dropImage', role: 'first', uri: { path: '/x' } }), undefined);
      assert.equal(parseGenerateWebviewMessage({ type: 'dropImage', role: 'poster', uri: 'file:///x.png' }), undefined);
      assert.equal(parseGenerateWebviewMessage({ type: 'pickImage' }), undefined);
      assert.ok(parseGenerateWebviewMessage({ type: 'dropImage', role: 'first', uri: 'u'.repeat(4096) }));
      assert.equal(parseGenerateWebviewMessage({ type: 'dropImage', role: 'first', uri: 'u'.repeat(4097) }), undefined);
      assert.equal(parseGenerateWebviewMessage({ type: 'pathImage', role: 'last', path: 'p'.repeat(4097) }), undefined);
    });

    it('rejects a message whose type or form is only inherited', () => {
      assert.equal(parseGenerateWebviewMessage(Object.create({ type: 'ready' })), undefined);
      assert.equal(parseGenerateWebviewMessage({ type: 'submit', form: Object.create(form) }), undefined);
      const proto = { form };
      assert.equal(parseGenerateWebviewMessage(Object.assign(Object.create(proto), { type: 'submit' })), undefined);
    });
  });

  describe('parsePlayerWebviewMessage', () => {
    it('accepts every message type and returns only the type', () => {
      for (const type of ['ready', 'reveal', 'openExternal', 'copyPrompt', 'generateAgain', 'makeAudiblePreview'] as const) {
        assert.deepEqual(parsePlayerWebviewMessage({ type, path: '/etc/passwd' }), { type });
      }
    });

    it('rejects unknown types and non-objects', () => {
      for (const v of [{ type: 'delete' }, { type: 'submit', form }, { type: null }, null, undefined, 'reveal', ['reveal'], Object.create({ type: 'reveal' })]) {
        assert.equal(parsePlayerWebviewMessage(v), undefined, String(v));
      }
    });

    it('accepts a frame as base64 PNG bytes for a known purpose, and nothing else with it', () => {
      const png = Buffer.from('\x89PNG\r\n\x1a\n', 'latin1').toString('base64');
      assert.deepEqual(parsePlayerWebviewMessage({ type: 'frame', purpose: 'continue', png, path: '/etc/passwd' }), { type: 'frame', purpose: 'continue', png });
      assert.deepEqual(parsePlayerWebviewMessage({ type: 'frame', purpose: 'thumbnail', png }), { type: 'frame', purpose: 'thumbnail', png });
    });

    it('rejects a frame with an unknown purpose, bytes that are not base64, or more than the limit', () => {
      const png = 'iVBORw0KGgo=';
      for (const v of [
        { type: 'frame', purpose: 'overwrite', png },
        { type: 'frame', purpose: 'continue' },
        { type: 'frame', purpose: 'continue', png: '' },
        { type: 'frame', purpose: 'continue', png: 'data:image/png;base64,iVBORw0KGgo=' },
        { type: 'frame', purpose: 'continue', png: 'iVBORw0KGgo' },
        { type: 'frame', purpose: 'continue', png: [png] },
      ]) {
        assert.equal(parsePlayerWebviewMessage(v), undefined, JSON.stringify(v).slice(0, 80));
      }
      const limit = Math.ceil(MAX_FRAME_PNG_BYTES / 3) * 4;
      assert.ok(parsePlayerWebviewMessage({ type: 'frame', purpose: 'continue', png: 'A'.repeat(limit) }));
      assert.equal(parsePlayerWebviewMessage({ type: 'frame', purpose: 'continue', png: 'A'.repeat(limit + 4) }), undefined);
    });

    it('accepts a capture failure with a short reason only', () => {
      assert.deepEqual(parsePlayerWebviewMessage({ type: 'frameFailed', purpose: 'continue', reason: 'tainted' }), { type: 'frameFailed', purpose: 'continue', reason: 'tainted' });
      assert.equal(parsePlayerWebviewMessage({ type: 'frameFailed', purpose: 'continue', reason: 'x'.repeat(501) }), undefined);
      assert.equal(parsePlayerWebviewMessage({ type: 'frameFailed', purpose: 'continue' }), undefined);
    });
  });

  describe('parseCompareWebviewMessage', () => {
    it('accepts ready, keep and a playback report', () => {
      assert.deepEqual(parseCompareWebviewMessage({ type: 'ready', x: 1 }), { type: 'ready' });
      assert.deepEqual(parseCompareWebviewMessage({ type: 'keep', taskId: 't1' }), { type: 'keep', taskId: 't1' });
      const takes = [
        { taskId: 'a', paused: false, time: 1.5 },
        { taskId: 'b', paused: true, time: 0 },
      ];
      assert.deepEqual(parseCompareWebviewMessage({ type: 'playback', takes: takes.map((t) => ({ ...t, extra: 1 })) }), { type: 'playback', takes });
    });

    it('rejects a keep without a task id, and malformed or oversize playback reports', () => {
      const take = { taskId: 'a', paused: false, time: 1 };
      for (const v of [
        { type: 'keep' },
        { type: 'keep', taskId: '' },
        { type: 'keep', taskId: 7 },
        { type: 'keep', taskId: 'x'.repeat(4097) },
        { type: 'playback' },
        { type: 'playback', takes: [take, take, take, take, take] },
        { type: 'playback', takes: [{ ...take, time: Number.NaN }] },
        { type: 'playback', takes: [{ ...take, time: -1 }] },
        { type: 'playback', takes: [{ ...take, paused: 'no' }] },
        { type: 'playback', takes: [Object.create(take)] },
        { type: 'play' },
        null,
        'keep',
      ]) {
        assert.equal(parseCompareWebviewMessage(v), undefined, JSON.stringify(v));
      }
    });
  });
});

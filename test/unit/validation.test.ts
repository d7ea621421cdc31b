import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KieError } from '../../src/core/kie/errors';
import { MAX_IMAGE_BYTES, checkImageFile, detectImageType, toGenerationRequest, validateInput, type GenerationInput } from '../../src/core/media/imageCheck';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([36, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00', 'latin1');
const BMP = Buffer.concat([Buffer.from('BM'), Buffer.alloc(20)]);

const base: GenerationInput = { model: 'sora-2-text-to-video', prompt: 'A red kite over the sea', aspectRatio: 'landscape', duration: '10' };

function fields(input: GenerationInput): string[] {
  return validateInput(input).map((i) => i.field);
}

describe('validateInput', () => {
  it('accepts a complete text-to-video input', () => {
    assert.deepEqual(validateInput(base), []);
  });

  it('rejects a blank prompt', () => {
    const issues = validateInput({ ...base, prompt: '   \n ' });
    assert.deepEqual(issues.map((i) => i.field), ['prompt']);
    assert.match(issues[0].message, /prompt/i);
  });

  it('rejects a prompt longer than the model allows and says by how much', () => {
    const issues = validateInput({ ...base, prompt: 'x'.repeat(10_001) });
    assert.deepEqual(issues.map((i) => i.field), ['prompt']);
    assert.match(issues[0].message, /10001.*10000.*by 1/);
  });

  it('accepts a prompt of exactly the maximum length', () => {
    assert.deepEqual(validateInput({ ...base, prompt: 'x'.repeat(10_000) }), []);
  });

  it('rejects an unknown model', () => {
    const issues = validateInput({ ...base, model: 'sora-3' });
    assert.deepEqual(issues.map((i) => i.field), ['model']);
    assert.match(issues[0].message, /sora-3/);
  });

  it('rejects a duration the model does not offer, naming the allowed ones', () => {
    const issues = validateInput({ ...base, duration: '25' });
    assert.deepEqual(issues.map((i) => i.field), ['duration']);
    assert.match(issues[0].message, /"10", "15"/);
    assert.deepEqual(fields({ ...base, model: 'veo3_fast', duration: '10' }), ['duration']);
  });

  it('rejects an unknown aspect ratio', () => {
    assert.deepEqual(fields({ ...base, aspectRatio: 'square' }), ['aspectRatio']);
  });

  it('checks size against the model', () => {
    assert.deepEqual(fields({ ...base, size: 'high' }), ['size']);
    assert.deepEqual(fields({ ...base, model: 'sora-2-pro-text-to-video', size: 'ultra' }), ['size']);
    assert.deepEqual(fields({ ...base, model: 'sora-2-pro-text-to-video', size: 'high' }), []);
  });

  it('requires an image for image-to-video models and forbids one for text-only models', () => {
    assert.deepEqual(fields({ ...base, model: 'sora-2-image-to-video' }), ['image']);
    assert.deepEqual(fields({ ...base, model: 'sora-2-image-to-video', imagePath: '/tmp/a.png' }), []);
    assert.deepEqual(fields({ ...base, imagePath: '/tmp/a.png' }), ['image']);
    assert.deepEqual(fields({ ...base, model: 'veo3_fast', duration: undefined }), []);
    assert.deepEqual(fields({ ...base, model: 'veo3_fast', duration: undefined, imagePath: '/tmp/a.png' }), []);
  });

  it('reports several problems at once', () => {
    assert.deepEqual(fields({ model: 'sora-2-image-to-video', prompt: '', aspectRatio: 'wide', duration: '7' }), ['prompt', 'aspectRatio', 'duration', 'image']);
  });
});

describe('detectImageType', () => {
  it('recognises PNG, JPEG and WebP by their bytes', () => {
    assert.equal(detectImageType(PNG), 'image/png');
    assert.equal(detectImageType(JPEG), 'image/jpeg');
    assert.equal(detectImageType(WEBP), 'image/webp');
  });

  it('recognises nothing else', () => {
    assert.equal(detectImageType(GIF), undefined);
    assert.equal(detectImageType(BMP), undefined);
    assert.equal(detectImageType(new Uint8Array()), undefined);
    assert.equal(detectImageType(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVE')])), undefined);
  });
});

describe('checkImageFile', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sora-validation-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function file(name: string, bytes: Buffer): string {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
  }

  async function rejection(p: string): Promise<KieError> {
    try {
      await checkImageFile(p);
    } catch (e) {
      assert.ok(e instanceof KieError);
      return e;
    }
    assert.fail('expected the image to be refused');
  }

  it('accepts PNG, JPEG and WebP whatever their extension', async () => {
    assert.deepEqual(await checkImageFile(file('a.png', PNG)), { mime: 'image/png', bytes: PNG.length });
    assert.equal((await checkImageFile(file('photo.dat', JPEG))).mime, 'image/jpeg');
    assert.equal((await checkImageFile(file('b.webp', WEBP))).mime, 'image/webp');
  });

  it('refuses a GIF, naming the accepted types', async () => {
    const e = await rejection(file('anim.gif', GIF));
    assert.equal(e.kind, 'invalidInput');
    assert.equal(e.field, 'image');
    assert.match(e.message, /GIF/);
    assert.match(e.message, /PNG, JPEG or WebP/);
  });

  it('refuses a BMP even when it is named .png', async () => {
    const e = await rejection(file('fake.png', BMP));
    assert.match(e.message, /BMP/);
    assert.match(e.message, /PNG, JPEG or WebP/);
  });

  it('refuses unrecognisable bytes', async () => {
    const e = await rejection(file('notes.png', Buffer.from('hello world, not an image')));
    assert.equal(e.field, 'image');
    assert.match(e.message, /not a PNG, JPEG or WebP image/);
  });

  it('refuses an image over 10 MB and accepts one of exactly 10 MB', async () => {
    const big = file('big.png', PNG);
    truncateSync(big, 11 * 1024 * 1024);
    const e = await rejection(big);
    assert.match(e.message, /11\.0 MB.*10 MB/);
    const edge = file('edge.png', PNG);
    truncateSync(edge, MAX_IMAGE_BYTES);
    assert.equal((await checkImageFile(edge)).bytes, MAX_IMAGE_BYTES);
  });

  it('refuses a missing file, an empty file and a directory', async () => {
    assert.match((await rejection(join(dir, 'missing.png'))).message, /Cannot read/);
    assert.match((await rejection(file('empty.png', Buffer.alloc(0)))).message, /empty/);
    assert.match((await rejection(dir)).message, /not a file/);
  });
});

describe('toGenerationRequest', () => {
  it('fills the model defaults explicitly', () => {
    assert.deepEqual(toGenerationRequest({ model: 'sora-2-pro-text-to-video', prompt: ' hi ', aspectRatio: 'portrait' }), {
      model: 'sora-2-pro-text-to-video',
      prompt: 'hi',
      aspectRatio: 'portrait',
      duration: '10',
      removeWatermark: true,
      size: 'standard',
    });
  });

  it('keeps the chosen options and the uploaded image URL', () => {
    const req = toGenerationRequest({ ...base, model: 'sora-2-image-to-video', duration: '15', removeWatermark: false }, ['https://x/a.png']);
    assert.deepEqual(req, {
      model: 'sora-2-image-to-video',
      prompt: base.prompt,
      aspectRatio: 'landscape',
      duration: '15',
      removeWatermark: false,
      imageUrls: ['https://x/a.png'],
    });
  });

  it('omits options a Veo model does not take', () => {
    assert.deepEqual(toGenerationRequest({ model: 'veo3', prompt: 'p', aspectRatio: 'landscape', size: 'high' }), {
      model: 'veo3',
      prompt: 'p',
      aspectRatio: 'landscape',
      duration: '8',
    });
  });

  it('throws invalidInput for an unknown model', () => {
    assert.throws(() => toGenerationRequest({ ...base, model: 'nope' }), (e: unknown) => e instanceof KieError && e.kind === 'invalidInput' && e.field === 'model');
  });
});

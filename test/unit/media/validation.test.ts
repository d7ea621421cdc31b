import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KieError } from '../../../src/core/kie/errors';
import { MAX_IMAGE_BYTES, checkImageFile, detectImageType } from '../../../src/core/media/imageCheck';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([36, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00', 'latin1');
const BMP = Buffer.concat([Buffer.from('BM'), Buffer.alloc(20)]);

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

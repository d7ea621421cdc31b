import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { decodePngFrame, FrameImageError, framePathFor, writeFrame } from '../../../src/core/media/frameImage';

/** A real (tiny, grey) PNG of the given size. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc((width + 1) * height, 128))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('frame images from the player', () => {
  it('names the frames after the video', () => {
    assert.equal(framePathFor('/v/intro.mp4', 'last'), '/v/intro.last.png');
    assert.equal(framePathFor('/v/Intro.MP4', 'thumb'), '/v/Intro.thumb.png');
  });

  it('accepts a PNG and reports its size', () => {
    const bytes = png(64, 36);
    const frame = decodePngFrame(bytes.toString('base64'), 1024 * 1024);
    assert.deepEqual([frame.width, frame.height], [64, 36]);
    assert.ok(frame.bytes.equals(bytes));
  });

  it('refuses bytes that are not a PNG', () => {
    for (const bad of [Buffer.from('GIF89a' + 'x'.repeat(40)), Buffer.alloc(100), Buffer.from('<svg onload=alert(1)>'.padEnd(64))]) {
      assert.throws(() => decodePngFrame(bad.toString('base64'), 1024 * 1024), FrameImageError);
    }
  });

  it('refuses a frame over the byte limit, and one wider than allowed', () => {
    const bytes = png(400, 10);
    assert.throws(() => decodePngFrame(bytes.toString('base64'), bytes.length - 1), /more than/);
    assert.throws(() => decodePngFrame(bytes.toString('base64'), 1024 * 1024, 320), /out of range/);
    assert.ok(decodePngFrame(bytes.toString('base64'), bytes.length, 400));
  });

  it('refuses a zero or absurd size in the header', () => {
    const zero = png(1, 1);
    zero.writeUInt32BE(0, 16);
    assert.throws(() => decodePngFrame(zero.toString('base64'), 1024), /out of range/);
    const huge = png(1, 1);
    huge.writeUInt32BE(100_000, 20);
    assert.throws(() => decodePngFrame(huge.toString('base64'), 1024), /out of range/);
  });

  it('writes the frame whole, leaving no temporary file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sora-frame-'));
    try {
      const file = path.join(dir, 'clip.last.png');
      const bytes = png(8, 8);
      await writeFrame(file, bytes);
      assert.ok(readFileSync(file).equals(bytes));
      assert.deepEqual(readdirSync(dir), ['clip.last.png']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

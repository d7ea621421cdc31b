// The few bytes of PNG the scripts write (test images, the icon), from Node's own zlib.
import { crc32, deflateSync } from 'node:zlib';

const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
};

/** An 8-bit PNG from filtered scanlines (`colourType` 2 = RGB, 6 = RGBA). */
export function encodePng(width, height, colourType, scanlines, deflateOptions) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = colourType;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(scanlines, deflateOptions)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** IHDR of a 1024x1024 RGBA image (length, type, data, CRC of type+data). */
const IHDR = Buffer.from('0000000d494844520000040000000400080600000000', 'hex');

/**
 * Writes a file that starts like a PNG (signature + IHDR) padded with random bytes to `bytes`: what an
 * uploader sees of a large, incompressible screenshot. Random so no layer can shrink it by compression.
 */
export function writePngLike(filePath: string, bytes: number): void {
  const crc = Buffer.alloc(4);
  const head = Buffer.concat([SIGNATURE, IHDR, crc]);
  fs.writeFileSync(filePath, Buffer.concat([head, randomBytes(Math.max(0, bytes - head.length))]));
}

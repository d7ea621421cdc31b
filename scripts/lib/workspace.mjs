// A throwaway VS Code workspace whose settings point the extension at a simulator, with a small
// image in it for the image-to-video flow. Shared by the integration runner, the UI end-to-end test
// and the demo so all three exercise the same configuration path a user would.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

/** A valid RGB PNG (a colour gradient), generated so no binary fixture is needed. */
export function gradientPng(width = 64, height = 48) {
  const chunk = (type, data) => {
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
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    rows[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const p = row + 1 + x * 3;
      rows[p] = Math.round((x / (width - 1)) * 255);
      rows[p + 1] = Math.round((y / (height - 1)) * 255);
      rows[p + 2] = 160;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export const WORKSPACE_IMAGE = 'images/sunrise.png';

/**
 * Writes `<dir>/.vscode/settings.json` (the three base URLs of the simulator plus `extra`) and
 * `<dir>/images/sunrise.png`. Returns the absolute image path.
 */
export function writeWorkspace(dir, sim, extra = {}) {
  mkdirSync(path.join(dir, '.vscode'), { recursive: true });
  mkdirSync(path.join(dir, path.dirname(WORKSPACE_IMAGE)), { recursive: true });
  writeFileSync(path.join(dir, '.vscode/settings.json'), JSON.stringify({
    'sora.apiBaseUrl': sim.url,
    'sora.uploadBaseUrl': sim.uploadUrl,
    'sora.imgbbBaseUrl': sim.imgbbUrl,
    ...extra,
  }, null, 2) + '\n');
  const image = path.join(dir, WORKSPACE_IMAGE);
  writeFileSync(image, gradientPng());
  return image;
}

// A throwaway VS Code workspace with a small image in it for the image-to-video flow, and the user
// settings that point the extension at a simulator. Shared by the integration runner, the UI end-to-end test
// and the demo so all three exercise the same configuration path a user would.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodePng } from './png.mjs';

/** A valid RGB PNG (a colour gradient), generated so no binary fixture is needed. */
export function gradientPng(width = 64, height = 48) {
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
  return encodePng(width, height, 2, rows);
}

export const WORKSPACE_IMAGE = 'images/sunrise.png';

/**
 * The user settings that point the extension at a simulator. They go into the user's settings (for
 * code-server `<user-data-dir>/User/settings.json`), never the workspace's: the extension ignores
 * service URLs from a workspace, which a cloned repository could otherwise use to collect the key.
 */
export function simulatorSettings(sim) {
  return {
    'sora.apiBaseUrl': sim.url,
    'sora.uploadBaseUrl': sim.uploadUrl,
    'sora.imgbbBaseUrl': sim.imgbbUrl,
  };
}

/** Merges `settings` into `<userDataDir>/User/settings.json` (created when missing). */
export function writeUserSettings(userDataDir, settings) {
  const file = path.join(userDataDir, 'User/settings.json');
  mkdirSync(path.dirname(file), { recursive: true });
  const current = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  writeFileSync(file, JSON.stringify({ ...current, ...settings }, null, 2) + '\n');
}

/** Writes `<dir>/images/sunrise.png` (the workspace has no settings of its own). Returns its absolute path. */
export function writeWorkspace(dir) {
  mkdirSync(path.join(dir, path.dirname(WORKSPACE_IMAGE)), { recursive: true });
  const image = path.join(dir, WORKSPACE_IMAGE);
  writeFileSync(image, gradientPng());
  return image;
}

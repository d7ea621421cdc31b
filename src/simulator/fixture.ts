import { existsSync } from 'node:fs';
import * as path from 'node:path';

const FIXTURE = path.join('src', 'simulator', 'fixtures', 'sample.mp4');

/**
 * The committed sample video (remade by scripts/make-fixture.sh). It is found from the project root,
 * the nearest folder holding package.json, so the same code works compiled by tsc to
 * out/src/simulator/ and bundled by esbuild to dist/simulator.js.
 */
export function fixtureVideoPath(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, FIXTURE);
    if (existsSync(path.join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`Simulator fixture ${FIXTURE} not found above ${from}; run scripts/make-fixture.sh`);
}

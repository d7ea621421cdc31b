import * as path from 'node:path';

/** The repository root, found from the compiled location (out/bench/lib/ → ../../..). */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');
/** Compiled benchmark scripts, for spawning workers as separate processes. */
export const benchOut = path.resolve(__dirname, '..');

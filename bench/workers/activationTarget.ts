import * as path from 'node:path';

/**
 * Where bench/activation.ts tells the extension-host probe which bundle to time: `{ "bundle": "<path>" }`.
 * Its own module, because the probe itself imports `vscode` and only loads inside the host.
 */
export const TARGET_FILE = path.join(__dirname, 'activationProbe.target.json');

#!/usr/bin/env node
// The same integration suite under desktop VS Code, through @vscode/test-electron, for contributors with
// internet access (it downloads VS Code from Microsoft's update server on the first run, into
// .vscode-test/) and a display (on Linux without one: `xvfb-run -a node scripts/run-integration-electron.mjs`).
// Offline machines and CI use scripts/run-integration.mjs (code-server) instead; both load
// out/test/integration/index.js and prepare the simulator and workspace the same way.
//
// usage: npm run compile && npm run build && node scripts/run-integration-electron.mjs [--grep TEXT] [--vscode VERSION]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from './lib/codeServer.mjs';
import { startControlServer, startSimulator } from './lib/simulatorHost.mjs';
import { simulatorSettings, writeUserSettings, writeWorkspace } from './lib/workspace.mjs';

const argv = process.argv.slice(2);
const arg = (name, def) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : def);
const RESULT_MARK = 'sora-integration-result ';

const tmp = mkdtempSync(path.join(tmpdir(), 'sora-integration-electron-'));
const workspace = path.join(tmp, 'workspace');
const sim = await startSimulator();
const control = await startControlServer(sim);
writeWorkspace(workspace);
writeUserSettings(path.join(tmp, 'user-data'), simulatorSettings(sim));

// VS Code's output reaches this process's stdout through test-electron; pick the counts out of it.
let result;
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  const text = chunk.toString();
  const at = text.indexOf(RESULT_MARK);
  if (at >= 0) result = JSON.parse(text.slice(at + RESULT_MARK.length).split('\n')[0]);
  return write(chunk, ...rest);
};

let code = 1;
try {
  code = await runTests({
    version: arg('--vscode', 'stable'),
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(repoRoot, 'out/test/integration/index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(tmp, 'user-data')],
    extensionTestsEnv: {
      KIE_API_KEY: sim.apiKey,
      SORA_SIM_URL: sim.url,
      SORA_SIM_CONTROL: control.url,
      ...(arg('--grep') ? { SORA_TEST_GREP: arg('--grep') } : {}),
    },
  });
} catch (e) {
  console.error('test-electron failed:', e);
} finally {
  await control.close();
  await sim.close();
  rmSync(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
}
const counts = result ?? { passed: 0, failed: 1 };
if (code !== 0 && counts.failed === 0) counts.failed = 1;
console.log(`${counts.passed} passed, ${counts.failed} failed`);
process.exit(code === 0 ? 0 : 1);

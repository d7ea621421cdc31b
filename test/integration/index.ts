/**
 * The integration suite's entry point, with the contract both launchers use (@vscode/test-electron's
 * `extensionTestsPath` and scripts/run-integration.mjs): VS Code loads this module in the extension host
 * and awaits `run()`; a rejection fails the run.
 */
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { readReloadState } from './reloadDrill';

/** Printed once mocha ends; scripts/run-integration.mjs reads the counts from it. */
const RESULT_MARK = 'sora-integration-result';

/**
 * `main` is every `*.test.js` here; `afterRestart` (run by scripts/run-integration.mjs after it killed
 * the extension host) is the folder of that name, which checks what the main suite left running.
 * `reload` runs `reload/before.test.js`, reloads the window, and in the reloaded window (same payload)
 * `reload/after.test.js`.
 */
function testFiles(suite: string, afterReload: boolean): string[] {
  if (suite === 'reload') return [path.join(__dirname, 'reload', afterReload ? 'after.test.js' : 'before.test.js')];
  const dir = suite === 'afterRestart' ? path.join(__dirname, 'afterRestart') : __dirname;
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    .map((f) => path.join(dir, f));
}

export async function run(): Promise<void> {
  const suite = process.env.SORA_TEST_SUITE ?? 'main';
  const afterReload = suite === 'reload' && (await readReloadState()) !== undefined;
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: 180_000 });
  const grep = process.env.SORA_TEST_GREP;
  if (grep && suite !== 'reload') mocha.grep(grep);
  for (const f of testFiles(suite, afterReload)) mocha.addFile(f);
  await new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const stats = runner.stats;
        console.log(`${RESULT_MARK} ${JSON.stringify({ passed: stats?.passes ?? 0, failed: failures })}`);
        if (failures > 0) reject(new Error(`${failures} integration tests failed`));
        else resolve();
      });
    } catch (err) {
      reject(err);
    }
  });
  if (suite === 'reload' && !afterReload) {
    // The real command a user runs; this extension host ends with it, so the run never resolves here.
    await vscode.commands.executeCommand('workbench.action.reloadWindow');
    await new Promise(() => undefined);
  }
}

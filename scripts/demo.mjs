#!/usr/bin/env node
// `npm run demo`: try the extension against the local Kie simulator, no account or credits needed.
// Builds, starts the simulator, writes a demo workspace under .demo/ and user settings pointing at the
// simulator (the extension reads service URLs from user settings only), then opens desktop VS Code
// with its own profile in .demo/user-data and the extension in development mode (`code` on PATH), or
// else a code-server with the freshly packaged extension installed, and prints its URL. Runs until Ctrl+C, then cleans up.
//
// usage: npm run demo [-- --code-server] [-- --port N]   (--port: code-server's port; default a free one)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { ensureDeps } from './ensure-deps.mjs';
import { freePort, installExtension, repoRoot, resolveToolchain, startCodeServer } from './lib/codeServer.mjs';
import { simulatorSettings, writeUserSettings, writeWorkspace } from './lib/workspace.mjs';

const argv = process.argv.slice(2);
const arg = (name, def) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : def);
const DEMO = path.join(repoRoot, '.demo');
const workspace = path.join(DEMO, 'workspace');
const npm = (...args) => execFileSync('npm', args, { cwd: repoRoot, stdio: 'inherit' });

ensureDeps();
npm('run', '--silent', 'build');

// The bundled simulator CLI (Kie's real rate limits on, every request printed). A task takes long
// enough to watch the progress notification and the history view move.
const simulatorPort = await freePort();
const simProcess = spawn(process.execPath, [path.join(repoRoot, 'dist/simulator.js'), '--port', String(simulatorPort), '--duration', '8000'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const sim = await new Promise((resolve, reject) => {
  let out = '';
  simProcess.on('exit', (c) => reject(new Error(`the simulator exited (${c})\n${out}`)));
  simProcess.stdout.on('data', (d) => {
    out += d;
    const url = out.match(/listening on (\S+)/)?.[1];
    const uploadUrl = out.match(/upload host: (\S+)/)?.[1];
    const imgbbUrl = out.match(/imgbb: +(\S+)/)?.[1];
    const apiKey = out.match(/test key: +(\S+)/)?.[1];
    if (url && uploadUrl && imgbbUrl && apiKey) resolve({ url, uploadUrl, imgbbUrl, apiKey });
  });
});
simProcess.removeAllListeners('exit');
simProcess.stdout.removeAllListeners('data');
simProcess.stdout.on('data', (d) => process.stdout.write(String(d).replace(/^(?=.)/gm, '[simulator] ')));
writeWorkspace(workspace);
console.log(`simulator ${sim.url} (key ${sim.apiKey}); workspace ${workspace}`);

const cleanups = [
  () =>
    new Promise((resolve) => {
      // Ctrl+C in a terminal reaches the simulator too; it may be gone already.
      if (simProcess.exitCode !== null || simProcess.signalCode !== null) return resolve();
      simProcess.once('exit', resolve);
      simProcess.kill();
    }),
];
let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping…');
  for (const c of cleanups.reverse()) await c();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const hasCode = !argv.includes('--code-server') && spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
if (hasCode) {
  // A profile of its own: the simulator's URLs go into its user settings, not into the user's.
  const userData = path.join(DEMO, 'user-data');
  writeUserSettings(userData, simulatorSettings(sim));
  const code = spawn('code', ['--new-window', `--user-data-dir=${userData}`, `--extensionDevelopmentPath=${repoRoot}`, workspace], {
    env: { ...process.env, KIE_API_KEY: sim.apiKey },
    stdio: 'inherit',
  });
  code.on('exit', () => console.log('VS Code is open on the demo workspace. Press Ctrl+C here to stop the simulator.'));
} else {
  npm('run', '--silent', 'package');
  const tool = resolveToolchain();
  const serverDir = path.join(DEMO, 'code-server');
  rmSync(serverDir, { recursive: true, force: true });
  console.log(installExtension(tool, serverDir, path.join(repoRoot, 'sora-video.vsix')));
  const server = await startCodeServer(tool, {
    dir: serverDir,
    workspace,
    userSettings: simulatorSettings(sim),
    env: { KIE_API_KEY: sim.apiKey },
    port: arg('--port') ? Number(arg('--port')) : undefined,
  });
  cleanups.push(() => server.stop());
  server.child.on('exit', () => stopping || (console.log('code-server exited'), stop()));
  console.log(`\nOpen ${server.folderUrl(workspace)}\nthen run "Sora: Generate Video" from the command palette (F1). Ctrl+C stops everything.`);
}

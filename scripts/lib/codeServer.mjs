// code-server (the real VS Code server and web workbench, from npm) as a throwaway instance: its own
// config, user data, extensions folder, TMPDIR and XDG folders under one directory, stopped by killing
// its whole process group (the extension host and file watcher outlive a plain SIGTERM otherwise).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeUserSettings } from './workspace.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Node 24 and code-server: from env NODE24/CS when both are given, else from
 * scripts/setup-vscode-test.sh (idempotent, cached outside the clone), whose stdout ends with
 * `NODE24=...` and `CS=...` lines.
 */
export function resolveToolchain() {
  let node24 = process.env.NODE24;
  let cs = process.env.CS;
  if (!node24 || !cs) {
    const out = execFileSync('bash', [path.join(repoRoot, 'scripts/setup-vscode-test.sh')], {
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
    });
    const value = (name) => out.match(new RegExp(`^${name}=(.+)$`, 'm'))?.[1].trim();
    node24 = value('NODE24');
    cs = value('CS');
    if (!node24 || !cs) throw new Error(`setup-vscode-test.sh printed no NODE24/CS lines:\n${out}`);
  }
  const node = path.join(node24, 'bin/node');
  const entry = path.join(cs, 'out/node/entry.js');
  for (const f of [node, entry]) if (!existsSync(f)) throw new Error(`missing ${f} (run scripts/setup-vscode-test.sh)`);
  return { node, entry };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/**
 * Folder layout of one instance under `dir`; also what --install-extension needs. `userSettings` are
 * merged into the instance's user settings (`user-data/User/settings.json`).
 */
export function instanceDirs(dir, userSettings = {}) {
  const d = {
    config: path.join(dir, 'config.yaml'),
    userData: path.join(dir, 'user-data'),
    extensions: path.join(dir, 'extensions'),
    tmp: path.join(dir, 'tmp'),
    xdg: path.join(dir, 'xdg'),
  };
  mkdirSync(path.join(d.userData, 'User'), { recursive: true });
  mkdirSync(d.extensions, { recursive: true });
  mkdirSync(d.tmp, { recursive: true });
  const settings = path.join(d.userData, 'User/settings.json');
  if (!existsSync(settings)) writeFileSync(settings, JSON.stringify(USER_SETTINGS, null, 2));
  if (Object.keys(userSettings).length > 0) writeUserSettings(d.userData, userSettings);
  return d;
}

function serverEnv(dirs, env) {
  return {
    ...process.env,
    // the client must never route the loopback simulator through a CI proxy
    NO_PROXY: [process.env.NO_PROXY, '127.0.0.1', 'localhost'].filter(Boolean).join(','),
    ...env,
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: dirs.xdg,
    XDG_DATA_HOME: dirs.xdg,
  };
}

const commonArgs = (dirs) => ['--config', dirs.config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];

export function installExtension(tool, dir, vsix) {
  const dirs = instanceDirs(dir);
  return execFileSync(tool.node, [tool.entry, ...commonArgs(dirs), '--install-extension', vsix, '--force'], {
    env: serverEnv(dirs, {}),
    encoding: 'utf8',
  }).trim();
}

/**
 * Starts code-server on 127.0.0.1:<free port> and resolves once it listens; `userSettings` are
 * merged into its user settings.
 * `smokeTestDriver` makes the web workbench honour the ?payload= development options
 * (extensionDevelopmentPath / extensionTestsPath), which it ignores otherwise.
 */
export async function startCodeServer(tool, { dir, workspace, userSettings, env = {}, smokeTestDriver = false, port, onOutput }) {
  const dirs = instanceDirs(dir, userSettings);
  const listenPort = port ?? (await freePort());
  const authority = `127.0.0.1:${listenPort}`;
  const args = [
    tool.entry, ...commonArgs(dirs),
    '--bind-addr', authority, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened',
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    workspace,
  ];
  const child = spawn(tool.node, args, { env: serverEnv(dirs, env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const onData = (d) => {
    const s = d.toString();
    output += s;
    onOutput?.(s);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exited = false;
  child.on('exit', () => (exited = true));

  const alive = () => {
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const stop = async () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
    for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
    if (alive()) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }
  };

  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`code-server did not start in 60 s\n${output}`)), 60_000);
    const iv = setInterval(() => {
      if (output.includes('HTTP server listening')) done();
      else if (exited) done(new Error(`code-server exited during startup\n${output}`));
    }, 50);
    function done(err) {
      clearTimeout(timer);
      clearInterval(iv);
      if (err) stop().then(() => reject(err));
      else resolve();
    }
  });

  return {
    authority,
    url: `http://${authority}`,
    child,
    output: () => output,
    /** `vscode-remote://` URI of a server-side path: makes code run in the Node extension host. */
    remote: (p) => `vscode-remote://${authority}${p}`,
    /** Workbench URL for a folder, with optional development payload. */
    folderUrl: (folder, payload) =>
      `http://${authority}/?folder=${encodeURIComponent(folder)}` +
      (payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''),
    /** Extension host processes of this instance (it runs in its own process group). */
    extensionHostPids: () =>
      execFileSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' })
        .split('\n')
        .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
        .filter((m) => m && Number(m[2]) === child.pid && m[3].includes('--type=extensionHost'))
        .map((m) => Number(m[1])),
    stop,
  };
}

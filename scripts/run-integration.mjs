#!/usr/bin/env node
// Runs the integration suite (out/test/integration/index.js, the @vscode/test-electron contract) inside
// a real VS Code extension host offline: code-server's Node extension host, driven by Debian chromium.
// The Kie simulator runs in this process; code-server's user settings point the extension at it and the
// extension host gets KIE_API_KEY plus SORA_SIM_CONTROL (see scripts/lib/simulatorHost.mjs).
// Three suites run in one code-server: "main", then, after the window went away in the middle of a task,
// "afterRestart" in a new extension host, then "reload", which reloads the window itself (docs/testing.md).
//
// usage: node scripts/run-integration.mjs [--grep TEXT] [--timeout SEC] [--keep] [--tests MODULE]
//        --tests runs another tests module with the same contract (the benchmarks' activation probe)
// env:   NODE24, CS     skip scripts/setup-vscode-test.sh and use these installs
//        CHROMIUM       browser binary (default /usr/bin/chromium)
//        VERBOSE=1      print every workbench and code-server log line
// Prints `N passed, N failed` as its last line; exits 0 only when every test passed.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import { launchChromium } from './lib/chromium.mjs';
import { repoRoot, resolveToolchain, startCodeServer } from './lib/codeServer.mjs';
import { startControlServer, startSimulator } from './lib/simulatorHost.mjs';
import { webviewControl } from './lib/webviewControl.mjs';
import { simulatorSettings, writeWorkspace } from './lib/workspace.mjs';

const argv = process.argv.slice(2);
const arg = (name, def) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : def);
const TIMEOUT_MS = Number(arg('--timeout', '900')) * 1000;
const GREP = arg('--grep', '');
// "afterRestart" continues what the main suite's restart test started, after the extension host died;
// "reload" starts a task, runs Developer: Reload Window and checks the reloaded window finishes it.
const SUITES = argv.includes('--tests')
  ? ['main']
  : ['main', ...(!GREP || /restart/i.test(GREP) ? ['afterRestart'] : []), ...(!GREP || /reload/i.test(GREP) ? ['reload'] : [])];
const KEEP = argv.includes('--keep');
const VERBOSE = !!process.env.VERBOSE;
const ARTIFACTS = path.join(repoRoot, 'test-artifacts/integration');
const TESTS = path.resolve(arg('--tests', path.join(repoRoot, 'out/test/integration/index.js')));
// A key the tests store through the extension; after the run no log may contain it.
const SECRET = `sora-it-${randomBytes(12).toString('hex')}`;
// The line test/integration/index.ts prints when mocha ends.
const RESULT_MARK = 'sora-integration-result ';
// Workbench log lines that are noise on an offline machine.
const NOISE = /Creation of workbench contribution|authentication provider 'github'|open-vsx\.org|\[AgentHost|\[ChatModelSelection\]|\[AccountPolicyGate\]|connection token|Creating a socket|grace time|additional builtin extensions|Service Worker|^\s+at /;

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const transcript = [];
const say = (line) => {
  transcript.push(line);
  console.log(line);
};

for (const f of [TESTS, path.join(repoRoot, 'dist/extension.js')]) {
  if (!existsSync(f)) {
    console.error(`${path.relative(repoRoot, f)} missing: run \`npm run compile && npm run build\` first`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

const tool = resolveToolchain();
say(`[${elapsed()}] toolchain ready`);
const tmp = mkdtempSync(path.join(tmpdir(), 'sora-integration-'));
const workspace = path.join(tmp, 'workspace');
let sim, control, server, browser, stopping = false;
const result = { passed: 0, failed: 0 };
let reports = 0;
let missingReports = 0;
let outcome;

async function cleanup() {
  stopping = true;
  await browser?.context.close().catch(() => {});
  await server?.stop();
  await control?.close();
  await sim?.close();
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    await cleanup();
    process.exit(130);
  });
}

try {
  sim = await startSimulator();
  control = await startControlServer(sim);
  writeWorkspace(workspace);
  say(`[${elapsed()}] simulator ${sim.url}, control ${control.url}, workspace ${workspace}`);

  server = await startCodeServer(tool, {
    dir: path.join(tmp, 'code-server'),
    workspace,
    userSettings: simulatorSettings(sim),
    smokeTestDriver: true,
    onOutput: VERBOSE ? (s) => process.stderr.write(`[code-server] ${s}`) : undefined,
  });
  say(`[${elapsed()}] code-server ${server.url} (pid ${server.child.pid})`);

  browser = await launchChromium(path.join(tmp, 'chromium-profile'));
  const { page } = browser;
  control.ui = webviewControl(page);
  page.on('pageerror', (e) => say(`[browser:pageerror] ${e.message}`));
  if (VERBOSE) page.on('console', (m) => console.log(`[browser:${m.type()}] ${m.text()}`));

  let finish;
  // The web workbench's automation hooks (enabled by the smoke-test driver): every workbench log line,
  // including the extension host's console (mocha's reporter), then the exit code with the log files.
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = format(...(Array.isArray(args) ? args : [args]));
    const at = line.indexOf(RESULT_MARK);
    if (at >= 0) {
      const counts = JSON.parse(line.slice(at + RESULT_MARK.length));
      result.passed += counts.passed;
      result.failed += counts.failed;
      reports += 1;
      return;
    }
    if (VERBOSE || !NOISE.test(line)) say(type === 'error' || type === 'warn' ? `[${type}] ${line}` : line);
  });
  await page.exposeFunction('codeAutomationExit', (code, logs) => finish?.({ code, logs }));
  server.child.on('exit', (c) => stopping || finish?.({ code: `code-server exited (${c})` }));

  const deadline = Date.now() + TIMEOUT_MS;
  for (const suite of SUITES) {
    if (suite === 'afterRestart') {
      // Between the suites the window goes away mid-task (page unloaded, any extension host still
      // alive killed, as in a crash); the next page load starts a new extension host on the same user
      // data (task history, secrets), which must pick the task up again.
      await page.goto('about:blank');
      const pids = server.extensionHostPids();
      for (const pid of pids) process.kill(pid, 'SIGKILL');
      say(`[${elapsed()}] window closed; ${pids.length ? `killed extension host ${pids.join(', ')}` : 'its extension host had already exited'}`);
    }
    const finished = new Promise((r) => (finish = r));
    const extensionEnvironment = {
      KIE_API_KEY: sim.apiKey,
      SORA_SIM_URL: sim.url,
      SORA_SIM_CONTROL: control.url,
      SORA_TEST_SECRET: SECRET,
      SORA_TEST_SUITE: suite,
      SORA_RELOAD_STATE: path.join(tmp, 'reload-state.json'),
      ...(GREP ? { SORA_TEST_GREP: GREP } : {}),
    };
    const payload = [
      ['extensionDevelopmentPath', server.remote(repoRoot)],
      ['extensionTestsPath', server.remote(TESTS)],
      ['extensionEnvironment', JSON.stringify(extensionEnvironment)],
    ];
    const reportsBefore = reports;
    // A bound on a hung start, not a speed check: on a busy 2-core CI machine the first load of the
    // workbench has taken longer than Playwright's 30-second default.
    await page.goto(server.folderUrl(workspace, payload), { timeout: 180_000 });
    say(`[${elapsed()}] workbench opened, suite "${suite}" running`);
    outcome = await Promise.race([finished, new Promise((r) => setTimeout(() => r({ code: 'timeout' }), Math.max(0, deadline - Date.now())))]);
    say(`[${elapsed()}] suite "${suite}" finished: ${outcome.code === 0 ? 'exit 0' : outcome.code}`);
    if (reports === reportsBefore) missingReports += 1;
    if (outcome.code !== 0) break;
  }
} catch (e) {
  // Playwright's errors quote the URL, whose payload carries the test key: that is this runner's own
  // text, not a leak by the extension, so it is masked before it reaches the transcript checked below.
  say(`runner error: ${String(e?.stack ?? e).replaceAll(SECRET, '<test key>')}`);
  outcome = { code: 'runner error' };
}

const leaks = secretLeaks(outcome);
if (leaks.length > 0) {
  say(`FAIL: the API key the tests stored appears in ${leaks.join(', ')}`);
  result.failed += 1;
}
const ok = outcome.code === 0 && missingReports === 0 && result.failed === 0;
if (!ok) {
  if (missingReports > 0 || result.failed === 0) result.failed += 1; // the run itself failed (timeout, crash, no report)
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  await browser?.page.screenshot({ path: path.join(ARTIFACTS, 'workbench.png') }).catch(() => {});
  writeFileSync(path.join(ARTIFACTS, 'runner.log'), transcript.join('\n') + '\n');
  if (server) writeFileSync(path.join(ARTIFACTS, 'code-server.log'), server.output());
  if (sim) writeFileSync(path.join(ARTIFACTS, 'simulator-requests.json'), JSON.stringify(sim.requests, redact, 2));
  for (const l of outcome.logs ?? []) {
    const f = path.join(ARTIFACTS, 'workbench-logs', l.relativePath);
    mkdirSync(path.dirname(f), { recursive: true });
    writeFileSync(f, l.contents);
  }
  console.log(`artifacts in ${path.relative(process.cwd(), ARTIFACTS) || ARTIFACTS}`);
}
await cleanup();
if (KEEP) console.log(`kept ${tmp}`);
else rmSync(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
console.log(`integration wall time ${elapsed()}`);
console.log(`${result.passed} passed, ${result.failed} failed`);
process.exit(ok ? 0 : 1);

/** Where the stored test key shows up: code-server's log files, the workbench logs, the server output. */
function secretLeaks({ logs = [] }) {
  const found = [];
  const scan = (dir) => {
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      const file = path.join(f.parentPath ?? f.path, f.name);
      if (f.isFile() && readFileSync(file, 'utf8').includes(SECRET)) found.push(path.relative(tmp, file));
    }
  };
  scan(path.join(tmp, 'code-server/user-data/logs'));
  for (const l of logs) if (l.contents.includes(SECRET)) found.push(`workbench log ${l.relativePath}`);
  if (server?.output().includes(SECRET)) found.push('code-server output');
  if (transcript.some((line) => line.includes(SECRET))) found.push('extension host console');
  return found;
}

function redact(key, value) {
  return /^authorization$/i.test(key) ? '<redacted>' : value;
}

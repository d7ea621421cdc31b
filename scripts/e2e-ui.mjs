#!/usr/bin/env node
// End-to-end through the UI, as a person would: package the .vsix, install it into a throwaway
// code-server, open a workspace whose settings point at the simulator (KIE_API_KEY in the server's
// environment), run "Sora: Generate Video" from the command palette, type a prompt in the form webview,
// double-click Generate and press Ctrl+Enter twice (exactly one task must reach the simulator), wait for the notifications, click Open, see the player webview with the video, then
// reload the window and see the player restored.
// Screenshots in test-artifacts/: e2e-form.png (before submitting), e2e-player.png, e2e-player-restored.png,
// and the README's pictures in light and dark (form, progress notification, Sora view, player) in
// test-artifacts/readme/; `--screenshots docs/images` writes those into the docs instead.
//
// usage: node scripts/e2e-ui.mjs [--vsix FILE] [--keep] [--screenshots DIR]
//        (needs `npm run compile` for the simulator)
// env:   NODE24, CS, CHROMIUM, VERBOSE=1 as for scripts/run-integration.mjs
// Prints `1 passed, 0 failed` or `0 passed, 1 failed` as its last line.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchChromium } from './lib/chromium.mjs';
import { installExtension, instanceDirs, repoRoot, resolveToolchain, startCodeServer } from './lib/codeServer.mjs';
import { startSimulator } from './lib/simulatorHost.mjs';
import { simulatorSettings, writeWorkspace } from './lib/workspace.mjs';
import { openWorkbench, runCommand, waitForPlayer } from './lib/workbench.mjs';

const argv = process.argv.slice(2);
const arg = (name, def) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : def);
const KEEP = argv.includes('--keep');
const VERBOSE = !!process.env.VERBOSE;
const ARTIFACTS = path.join(repoRoot, 'test-artifacts');
const PROMPT = 'A paper boat drifting down a rainy street at dusk';
const README_SHOTS = path.resolve(arg('--screenshots', path.join(ARTIFACTS, 'readme')));

const t0 = Date.now();
const timings = {};
const phase = async (name, fn) => {
  const t = Date.now();
  const r = await fn();
  timings[name] = +((Date.now() - t) / 1000).toFixed(1);
  console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${name} (${timings[name]}s)`);
  return r;
};

mkdirSync(ARTIFACTS, { recursive: true });
const tmp = mkdtempSync(path.join(tmpdir(), 'sora-e2e-'));
const workspace = path.join(tmp, 'workspace');
let sim, server, browser, ok = false;

try {
  const vsix = await phase('package', () => {
    if (arg('--vsix')) return path.resolve(arg('--vsix'));
    execFileSync('npm', ['run', '--silent', 'package'], { cwd: repoRoot, stdio: VERBOSE ? 'inherit' : 'pipe' });
    return path.join(repoRoot, 'sora-video.vsix');
  });
  console.log(`vsix ${path.relative(repoRoot, vsix)}: ${(statSync(vsix).size / 1024).toFixed(0)} KiB`);
  const tool = resolveToolchain();
  const serverDir = path.join(tmp, 'code-server');
  await phase('install extension', () => console.log(installExtension(tool, serverDir, vsix)));
  // The theme follows the browser's colour scheme, so the README's pictures can be taken in both.
  const settingsFile = path.join(instanceDirs(serverDir).userData, 'User/settings.json');
  writeFileSync(settingsFile, JSON.stringify({
    ...JSON.parse(readFileSync(settingsFile, 'utf8')),
    'window.autoDetectColorScheme': true,
    'workbench.preferredDarkColorTheme': 'Default Dark Modern',
    'workbench.preferredLightColorTheme': 'Default Light Modern',
  }, null, 2));

  // A keybinding that runs Set API Key with a key as its argument: outside a test run the extension
  // must ignore the argument and ask, so nothing but the user can replace the key.
  mkdirSync(path.join(serverDir, 'user-data/User'), { recursive: true });
  writeFileSync(
    path.join(serverDir, 'user-data/User/keybindings.json'),
    JSON.stringify([{ key: 'ctrl+alt+shift+k', command: 'sora.setApiKey', args: 'e2e-injected-key' }]),
  );
  // long enough for the progress notification to be photographed in both themes
  sim = await startSimulator({ defaultDurationMs: 12_000 });
  writeWorkspace(workspace);
  server = await phase('code-server start', () =>
    startCodeServer(tool, {
      dir: serverDir,
      workspace,
      userSettings: simulatorSettings(sim),
      env: { KIE_API_KEY: sim.apiKey },
      onOutput: VERBOSE ? (s) => process.stderr.write(`[code-server] ${s}`) : undefined,
    }),
  );
  browser = await launchChromium(path.join(tmp, 'chromium-profile'));
  const { page } = browser;
  const shot = readmeShots(page);
  page.on('pageerror', (e) => console.log('[pageerror]', e.message));
  if (VERBOSE) page.on('console', (m) => console.log(`[browser:${m.type()}] ${m.text().slice(0, 400)}`));

  await phase('workbench visible', async () => {
    await openWorkbench(page, server.folderUrl(workspace));
  });

  const toastWith = (text) => page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  await phase('a keybinding passing a key to Set API Key gets the password box, not a saved key', async () => {
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } }).catch(() => {});
    const box = page.locator('.quick-input-widget input[type="password"]');
    // The first press may land before the extension registered its commands; press until it asks.
    for (let attempt = 0; ; attempt++) {
      await page.keyboard.press('Control+Alt+Shift+K');
      try {
        await box.waitFor({ state: 'visible', timeout: 2000 });
        break;
      } catch (e) {
        if (attempt >= 20) throw new Error('Set API Key run with an argument did not ask for the key');
      }
    }
    await page.keyboard.press('Escape');
    if (await toastWith('API key saved').isVisible()) throw new Error('the key passed by the keybinding was saved');
  });

  await phase('palette: Sora: Generate Video', () => runCommand(page, 'Sora: Generate Video'));

  const form = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  await phase('form ready, prompt typed', async () => {
    const prompt = form.locator('#prompt');
    await prompt.waitFor({ state: 'visible', timeout: 30_000 });
    await prompt.click();
    await prompt.pressSequentially(PROMPT, { delay: 5 });
    const model = await form.locator('#model').inputValue();
    if (model !== 'veo3_fast') throw new Error(`the form opens on ${model}, not Veo 3.1 Fast`);
    if (!/≈ \d+ credits/.test(await form.locator('#cost').innerText())) throw new Error('the form shows no price');
    await page.waitForTimeout(300); // let the cost hint and validation settle for the screenshot
    await page.screenshot({ path: path.join(ARTIFACTS, 'e2e-form.png') });
    await shot('form');
  });

  const message = async (toast) => (await toast.locator('.notification-list-item-message').innerText()).trim();
  await phase('Generate double-clicked and Ctrl+Enter pressed twice: one task, progress notification shown', async () => {
    const before = sim.count('/api/v1/veo/generate');
    // Long enough that the player (opened when the video arrives) cannot take the focus mid-test.
    sim.scriptNextTasks({ durationMs: 8000 }, 1);
    const t = Date.now();
    await form.locator('#submit').dblclick();
    // As fast as a person's double press: the keys go to the form, which has the focus after the click.
    await page.keyboard.press('Control+Enter');
    await page.keyboard.press('Control+Enter');
    console.log(`double click and double Ctrl+Enter within ${Date.now() - t} ms`);
    const progress = toastWith('Generating video');
    await progress.waitFor({ state: 'visible', timeout: 30_000 });
    console.log(`notification: "${await message(progress)}"`);
    await shot('progress');
    await page.waitForTimeout(2500); // any second submission would have reached the simulator by now
    const created = sim.count('/api/v1/veo/generate') - before;
    if (created !== 1) throw new Error(`a double click and a double Ctrl+Enter created ${created} tasks, not 1`);
  });

  await phase('"Video ready" notification, Open clicked', async () => {
    const ready = toastWith('Video ready');
    await ready.waitFor({ state: 'visible', timeout: 120_000 });
    console.log(`notification: "${await message(ready)}"`);
    await ready.locator('.monaco-button', { hasText: /^Open$/ }).click();
  });

  const player = await phase('player webview shows the video', () => waitForPlayer(page, 60_000));
  const playerText = (await player.locator('body').innerText()).replace(/\s+/g, ' ').trim();
  console.log(`player: ${playerText.slice(0, 200)}`);
  if (!playerText.includes(PROMPT)) throw new Error('the player does not show the prompt');
  await page.waitForTimeout(500); // the first video frame and toast animations
  await page.screenshot({ path: path.join(ARTIFACTS, 'e2e-player.png') });

  // "Developer: Reload Window" saves the window's state first (a browser reload would lose the last
  // minute of it), so the player must come back through its serializer.
  await phase('Developer: Reload Window, player restored', async () => {
    const reloaded = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 30_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const restored = await waitForPlayer(page, 60_000);
    const text = (await restored.locator('body').innerText()).replace(/\s+/g, ' ');
    if (!text.includes(PROMPT)) throw new Error('the restored player does not show the prompt');
    await page.screenshot({ path: path.join(ARTIFACTS, 'e2e-player-restored.png') });
    await shot('player');
  });

  await phase('Sora view lists the video', async () => {
    await runCommand(page, 'Sora: Show Tasks');
    const row = page.locator('.part.sidebar .monaco-list-row', { hasText: PROMPT.slice(0, 20) }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await shot('view');
  });

  const videos = path.join(workspace, 'videos');
  const mp4 = readdirSync(videos).filter((f) => f.endsWith('.mp4'));
  if (mp4.length !== 1) throw new Error(`expected one video in ${videos}, found ${mp4.join(', ') || 'none'}`);
  const sidecar = JSON.parse(readFileSync(path.join(videos, mp4[0].replace(/\.mp4$/, '.json')), 'utf8'));
  if (sidecar.prompt !== PROMPT) throw new Error(`sidecar prompt is ${JSON.stringify(sidecar.prompt)}`);
  console.log(`saved ${path.join('videos', mp4[0])} (${statSync(path.join(videos, mp4[0])).size} bytes) and its sidecar`);
  ok = true;
} catch (e) {
  console.error('E2E FAILED:', e);
  await browser?.page.screenshot({ path: path.join(ARTIFACTS, 'e2e-failure.png') }).catch(() => {});
  if (server) writeFileSync(path.join(ARTIFACTS, 'e2e-code-server.log'), server.output());
} finally {
  await browser?.context.close().catch(() => {});
  await server?.stop();
  await sim?.close();
  if (KEEP) console.log(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
}
timings.total = +((Date.now() - t0) / 1000).toFixed(1);
console.log('e2e timings (s):', JSON.stringify(timings));
console.log(ok ? '1 passed, 0 failed' : '0 passed, 1 failed');
process.exit(ok ? 0 : 1);

/**
 * The README's pictures: the window as it is, in the dark and the light theme (switched through the
 * browser's colour scheme, which the workbench follows), written as `<name>-dark.png` and
 * `<name>-light.png`.
 */
function readmeShots(page) {
  mkdirSync(README_SHOTS, { recursive: true });
  let current;
  const setTheme = async (theme) => {
    await page.emulateMedia({ colorScheme: theme });
    await page.locator(`.monaco-workbench.${theme === 'dark' ? 'vs-dark' : 'vs'}`).waitFor({ timeout: 20_000 });
    current = theme;
    await page.waitForTimeout(700); // webviews repaint with the new theme's colours
  };
  return async (name) => {
    const order = current === 'light' ? ['light', 'dark'] : ['dark', 'light'];
    for (const theme of order) {
      if (theme !== current) await setTheme(theme);
      await page.screenshot({ path: path.join(README_SHOTS, `${name}-${theme}.png`) });
    }
  };
}

import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { VideoSidecar } from '../../src/core/media/sidecar';
import { eventually } from './eventually';
import { fixtureVideo, request, soraApi, taskWhen, webviewTabs, workspaceRoot } from './soraExtension';
import { WebviewControl } from './webviewControl';

const PLAYER = 'sora.videoPlayer';
const PROMPT = 'A red fox trots across fresh snow at dawn, low tracking shot';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function playerTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === PLAYER);
}

/** Every decoded frame of a video as raw RGB, by Debian's ffmpeg. */
function rawFrames(file: string): { frames: Buffer[]; width: number; height: number } {
  const [width, height] = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file], { encoding: 'utf8' })
    .trim()
    .split(',')
    .map(Number);
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 512 * 1024 * 1024 });
  const size = width * height * 3;
  const frames: Buffer[] = [];
  for (let at = 0; at + size <= raw.length; at += size) frames.push(raw.subarray(at, at + size));
  return { frames, width, height };
}

/** An image file decoded to raw RGB at a given size. */
function rawImage(file: string, width: number, height: number): Buffer {
  return execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-vf', `scale=${width}:${height}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
}

const meanDiff = (a: Buffer, b: Buffer) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
};

function pngSize(bytes: Buffer): { width: number; height: number } {
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('the Sora Player (Open With… on an .mp4)', () => {
  const ui = WebviewControl.fromEnvironment();
  let dir: string;
  let plain: string;
  let fox: string;

  before(async () => {
    await soraApi();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    dir = path.join(workspaceRoot(), 'player-clips');
    await fs.mkdir(dir, { recursive: true });
    plain = path.join(dir, 'someone-elses-clip.mp4');
    fox = path.join(dir, 'red-fox-dawn.mp4');
    const video = await fixtureVideo();
    await fs.writeFile(plain, video);
    await fs.writeFile(fox, video);
    const sidecar: VideoSidecar & { creditsConsumed: number } = {
      version: 1,
      file: path.basename(fox),
      prompt: PROMPT,
      model: 'veo3_fast',
      family: 'veo',
      inputs: { model: 'veo3_fast', prompt: PROMPT, aspect: '16:9', duration: 8 },
      taskId: 'kie-fox-0001',
      localId: 'not-in-this-history',
      timings: { createdAt: '2026-11-30T10:00:00.000Z', completedAt: '2026-11-30T10:00:42.000Z', downloadedAt: '2026-11-30T10:00:43.000Z', costTimeMs: 42_000 },
      creditsConsumed: 60,
    };
    await fs.writeFile(path.join(dir, 'red-fox-dawn.json'), JSON.stringify(sidecar, null, 2));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('is not the default editor for .mp4: VS Code\'s own preview still opens it', async () => {
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(plain));
    await eventually('a tab for the video', () => vscode.window.tabGroups.activeTabGroup.activeTab?.label === path.basename(plain));
    assert.equal(playerTabs().length, 0);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('plays a video without a sidecar, says its origin is unknown, and writes nothing beside it', async () => {
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(plain), PLAYER);
    await eventually('the Sora Player tab', () => playerTabs().length === 1);
    const [text] = await eventually('the player page', async () => (await ui.text(path.basename(plain)))[0] && ui.text(path.basename(plain)));
    assert.match(text, /No Sora sidecar \(\.json\) was found/);
    assert.doesNotMatch(text, /Generate Again/);
    const [video] = await eventually('the video loaded', async () => {
      const v = await ui.videos(path.basename(plain));
      return v?.[0] && v[0].readyState >= 1 ? v : undefined;
    });
    assert.equal(video.error, null);
    assert.ok(Math.abs(video.duration - 2) < 0.1, `duration ${video.duration}`);
  });

  it('with a sidecar shows its prompt, model, the credits used and the time taken, and saves a first-frame thumbnail', async () => {
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(fox), PLAYER);
    const [text] = await eventually('the player page with the prompt', async () => {
      const pages = await ui.text(path.basename(fox));
      return pages[0]?.includes(PROMPT) ? pages : undefined;
    });
    assert.match(text, /Veo 3\.1 Fast/);
    assert.match(text, /60 credits used · generated in 42s/);
    assert.match(text, /kie-fox-0001/);
    assert.match(text, /Generate Again with These Settings/);
    assert.equal(text.split('Open with System Player').length - 1, 1, 'one Open with System Player button');

    const thumb = path.join(dir, 'red-fox-dawn.thumb.png');
    const bytes = await eventually('the thumbnail beside the video', async () => (existsSync(thumb) ? fs.readFile(thumb) : undefined));
    const { width, height } = pngSize(bytes);
    assert.ok(width <= 320 && width > 0 && height > 0, `${width}x${height}`);
    const { frames } = rawFrames(fox);
    const shot = rawImage(thumb, 320, 180);
    assert.ok(meanDiff(shot, frames[0]) < meanDiff(shot, frames[frames.length - 1]), 'the thumbnail is the first frame');
    // The video without a sidecar, opened earlier, got none.
    assert.equal(existsSync(path.join(dir, 'someone-elses-clip.thumb.png')), false);
  });

  it('"Make an Audible Preview" plays an Opus copy with the very same video stream and leaves the original untouched', async () => {
    const before = sha256(await fs.readFile(fox));
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(fox), PLAYER);
    const marker = path.basename(fox);
    const page = await eventually('the AAC notice', async () => (await ui.text(marker))[0]?.includes('Make an Audible Preview'));
    assert.ok(page);
    assert.ok(await ui.click(marker, 'Make an Audible Preview'));
    await eventually('the preview playing', async () => (await ui.text(marker))[0]?.includes('Playing the audible preview'), 60_000);
    const [video] = await eventually('the preview loaded', async () => {
      const v = await ui.videos(marker);
      return v?.[0] && v[0].readyState >= 1 && /audible-preview/.test(decodeURIComponent(v[0].src)) ? v : undefined;
    });
    assert.equal(video.error, null);
    // A webview resource URL carries the file's path as its own path.
    const preview = decodeURIComponent(new URL(video.src).pathname);
    assert.match(preview, /\/cache\/audible-preview\/[^/]+\.mp4$/);
    assert.ok(preview && existsSync(preview), `preview file from ${video.src}`);
    const codec = (kind: string, file: string) =>
      execFileSync('ffprobe', ['-v', 'error', '-select_streams', `${kind}:0`, '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim();
    assert.equal(codec('a', preview), 'opus');
    const videoStream = (file: string) => sha256(execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-map', '0:v', '-c', 'copy', '-f', 'data', '-'], { maxBuffer: 256 * 1024 * 1024 }));
    assert.equal(videoStream(preview), videoStream(fox));
    assert.equal(sha256(await fs.readFile(fox)), before);
    assert.ok(!path.dirname(preview).startsWith(dir), 'the preview is in the extension cache, not beside the video');
  });

  it('without ffmpeg it says the preview is silent and points to the system player, with no preview button', async () => {
    const config = vscode.workspace.getConfiguration('sora');
    const clip = path.join(dir, 'no-ffmpeg-clip.mp4');
    await fs.writeFile(clip, await fixtureVideo());
    await config.update('ffmpegPath', path.join(dir, 'no-such-ffmpeg'), vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(clip), PLAYER);
      const [text] = await eventually('the AAC notice', async () => {
        const pages = await ui.text(path.basename(clip));
        return pages[0]?.includes('AAC') ? pages : undefined;
      });
      assert.match(text, /Open it with the system player to hear the sound, or install ffmpeg/);
      assert.doesNotMatch(text, /Make an Audible Preview/);
      assert.equal(text.split('Open with System Player').length - 1, 1, 'one Open with System Player button');
    } finally {
      await config.update('ffmpegPath', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a workspace cannot choose the ffmpeg the player runs: its sora.ffmpegPath is ignored', async () => {
    const settingsFile = path.join(workspaceRoot(), '.vscode', 'settings.json');
    // The runner keeps its own settings in user settings, so the workspace may have none yet.
    const original = await fs.readFile(settingsFile, 'utf8').catch(() => undefined);
    await fs.mkdir(path.dirname(settingsFile), { recursive: true });
    const marker = path.join(dir, 'workspace-program-ran');
    const program = path.join(dir, 'not-ffmpeg.sh');
    await fs.writeFile(program, `#!/bin/sh\ntouch '${marker}'\nexit 1\n`, { mode: 0o755 });
    const clip = path.join(dir, 'workspace-setting-clip.mp4');
    await fs.writeFile(clip, await fixtureVideo());
    try {
      // What a cloned repository could ship in its .vscode/settings.json.
      // VS Code drops machine settings from a workspace; a plain key written alongside says when the file was read.
      const stamp = `read-${Date.now()}`;
      await fs.writeFile(settingsFile, JSON.stringify({ ...JSON.parse(original ?? '{}'), 'sora.ffmpegPath': program, 'soraTest.stamp': stamp }, null, 2));
      await eventually('VS Code read the workspace settings', () => vscode.workspace.getConfiguration('soraTest').get('stamp') === stamp);
      await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(clip), PLAYER);
      const name = path.basename(clip);
      await eventually('the Make button', () => ui.click(name, 'Make an Audible Preview'));
      await eventually('the preview playing', async () => (await ui.text(name))[0]?.includes('Playing the audible preview'), 60_000);
      assert.equal(existsSync(marker), false, 'the workspace\'s program ran');
    } finally {
      if (original === undefined) await fs.rm(settingsFile, { force: true });
      else await fs.writeFile(settingsFile, original);
    }
  });

  it('"Continue from Last Frame" saves the decoded last frame beside the video and opens the next shot\'s prompt file', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(fox), PLAYER);
    const marker = path.basename(fox);
    await eventually('the Continue button', () => ui.click(marker, 'Continue from Last Frame'));
    const last = path.join(dir, 'red-fox-dawn.last.png');
    const bytes = await eventually('the last frame beside the video', async () => (existsSync(last) ? fs.readFile(last) : undefined));
    const { frames, width, height } = rawFrames(fox);
    assert.deepEqual(pngSize(bytes), { width, height });
    const shot = rawImage(last, width, height);
    assert.ok(meanDiff(shot, frames[frames.length - 1]) < meanDiff(shot, frames[0]), 'the saved frame is the last one, not the first');
    const next = await eventually('the next shot\'s prompt file, open', () => (vscode.window.activeTextEditor?.document.fileName.endsWith('.video.md') ? vscode.window.activeTextEditor.document : undefined));
    assert.match(next.getText(), /red-fox-dawn\.last\.png/, 'its first frame is the saved last frame');
  });
});

describe('the Sora panel player of a generated video', () => {
  const ui = WebviewControl.fromEnvironment();

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows the prompt and the time the task took, one system-player button, and the same actions as the Open With player', async () => {
    const api = await soraApi();
    const prompt = 'A paper boat drifting down a rainy street gutter';
    const submitted = await api.generate({ ...request(prompt, 'veo3_fast') });
    const task = await taskWhen(api, submitted.id, 'completed', (t) => t.state === 'completed');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('sora.openVideo', task.id);
    await eventually('a player webview tab', () => webviewTabs('sora.player').length === 1);
    const [text] = await eventually('the panel page', async () => {
      const pages = await ui.text(prompt);
      return pages[0]?.includes('generated in') ? pages : undefined;
    });
    assert.equal(text.split('Open with System Player').length - 1, 1, 'one Open with System Player button');
    // The credits appear exactly when Kie reported them for the task.
    assert.equal(/\d+ credits used/.test(text), task.creditsConsumed !== undefined, text);
    if (task.creditsConsumed !== undefined) assert.ok(text.includes(`${task.creditsConsumed} credits used`));
    for (const action of ['Generate Again with These Settings', 'Continue from Last Frame', 'Copy Prompt']) assert.ok(text.includes(action), action);
    assert.ok(task.localFile);
    const thumb = task.localFile.replace(/\.mp4$/, '.thumb.png');
    await eventually('the thumbnail beside the generated video', () => existsSync(thumb));
    // The Sora view shows it as the video's icon.
    await vscode.commands.executeCommand('workbench.view.extension.sora');
    await eventually('the thumbnail as the row\'s icon in the Sora view', async () =>
      (await ui.viewRowIcons('workbench.view.extension.sora')).some((r) => r.text.includes(prompt.slice(0, 30)) && r.icon.includes(path.basename(thumb))),
    );
  });

  it('"Continue from Last Frame" from the Sora view opens the player, saves the last frame and opens the next shot\'s prompt file', async () => {
    const api = await soraApi();
    const task = api.tasks().find((t) => t.state === 'completed' && t.localFile && existsSync(t.localFile));
    assert.ok(task?.localFile, 'a finished video from the test before');
    const last = task.localFile.replace(/\.mp4$/, '.last.png');
    await fs.rm(last, { force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // What the tree item's context menu passes: the task id.
    await vscode.commands.executeCommand('sora.continueFromLastFrame', task.id);
    await eventually('the player tab', () => webviewTabs('sora.player').length === 1);
    await eventually('the last frame beside the video', () => existsSync(last));
    const next = await eventually('the next shot\'s prompt file, open', () => (vscode.window.activeTextEditor?.document.fileName.endsWith('.video.md') ? vscode.window.activeTextEditor.document : undefined));
    assert.ok(next.getText().includes(path.basename(last)), 'its first frame is the saved last frame');
  });
});

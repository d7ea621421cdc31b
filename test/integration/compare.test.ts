import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { openCompareView, type CompareHandle } from '../../src/vscode/compare/compareView';
import { eventually } from './eventually';
import { extension, fixtureVideo, soraApi, webviewTabs, workspaceRoot } from './soraExtension';
import { WebviewControl, type VideoState } from './webviewControl';

describe('the compare view', () => {
  const ui = WebviewControl.fromEnvironment();
  let dir: string;
  let takeA: string;
  let takeB: string;
  let handle: CompareHandle | undefined;

  before(async () => {
    await soraApi();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    dir = path.join(workspaceRoot(), 'compare-clips');
    await fs.mkdir(dir, { recursive: true });
    takeA = path.join(dir, 'lighthouse-take-a.mp4');
    takeB = path.join(dir, 'lighthouse-take-b.mp4');
    const video = await fixtureVideo();
    await fs.writeFile(takeA, video);
    await fs.writeFile(takeB, video);
  });

  afterEach(async () => {
    handle?.dispose();
    handle = undefined;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  const playing = (videos: VideoState[] | null) => videos?.length === 2 && videos.every((v) => !v.paused && v.time > 0.2 && v.error === null);

  it('plays two takes together, pauses and scrubs them together, labels seed and cost, and "Keep This One" calls back with that take', async () => {
    const kept: string[] = [];
    const title = 'Lighthouse variants';
    handle = openCompareView(
      { extensionUri: extension().extensionUri, log: vscode.window.createOutputChannel('compare test', { log: true }), showError: (t) => assert.fail(t) },
      {
        title,
        takes: [
          { taskId: 'task-a', videoPath: takeA, seed: 11, credits: 60 },
          { taskId: 'task-b', videoPath: takeB, seed: 22, credits: 80 },
        ],
        onKeep: async (id) => void kept.push(id),
      },
    );
    const h = handle;
    const [text] = await eventually('the compare page', async () => {
      const pages = await ui.text(title);
      return pages[0]?.includes('lighthouse-take-b.mp4') ? pages : undefined;
    });
    assert.match(text, /Seed 11 · 60 credits/);
    assert.match(text, /Seed 22 · 80 credits/);
    await eventually('both videos loaded', async () => (await ui.videos(title))?.every((v) => v.readyState >= 2));

    h.play();
    const both = await eventually('both videos playing', async () => {
      const v = await ui.videos(title);
      return v && playing(v) ? v : undefined;
    });
    assert.ok(Math.abs(both[0].time - both[1].time) < 0.3, `in step: ${both.map((v) => v.time).join(' / ')}`);
    // The webview reports the same to the host.
    await eventually('a playback report with both playing', () => h.playback()?.takes.every((t) => !t.paused));

    h.pause();
    await eventually('both paused', async () => (await ui.videos(title))?.every((v) => v.paused));
    h.seek(1.25);
    const scrubbed = await eventually('both at 1.25 s', async () => {
      const v = await ui.videos(title);
      return v?.every((x) => Math.abs(x.time - 1.25) < 0.05) ? v : undefined;
    });
    assert.ok(scrubbed.every((v) => v.paused));

    assert.ok(await ui.click(title, 'Keep This One', 1));
    await eventually('the keep callback', () => kept.length === 1);
    assert.deepEqual(kept, ['task-b']);
    await eventually('the kept take marked', async () => (await ui.text(title))[0]?.includes('✓ Kept'));
  });

  it('Sora: Compare Videos Side by Side opens the Explorer selection, and its Keep opens that take in the Sora Player', async () => {
    const a = vscode.Uri.file(takeA);
    const b = vscode.Uri.file(takeB);
    await vscode.commands.executeCommand('sora.compareVideos', a, [a, b]);
    await eventually('the compare tab', () => webviewTabs('sora.compare').length === 1);
    const marker = 'Compare: lighthouse-take-a · lighthouse-take-b';
    await eventually('the compare page', async () => (await ui.text(marker)).length === 1);
    assert.ok(await ui.click(marker, 'Keep This One', 0));
    await eventually('the kept take in the Sora Player', () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .some((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === 'sora.videoPlayer' && t.input.uri.fsPath === takeA),
    );
  });

  it('refuses a single video with a message instead of an empty view', async () => {
    const api = await soraApi();
    const before = api.recentMessages().length;
    const a = vscode.Uri.file(takeA);
    await vscode.commands.executeCommand('sora.compareVideos', a, [a]);
    await eventually('the warning', () => api.recentMessages().slice(before).some((m) => /Select 2 to 4 MP4 videos/.test(m.text)));
  });

  it('the form\'s two variants open side by side once both are done, and Keep opens that take in the Sora Player', async () => {
    const api = await soraApi();
    const prompt = 'Two takes of a paper crane unfolding on a desk';
    const first = await api.generate({ request: { model: 'veo3_fast', prompt, resolution: '720p' }, variants: 2 });
    const batchId = first.origin?.batchId;
    assert.ok(batchId, 'variants share a batch');
    const takes = await eventually('both takes downloaded', () => {
      const t = api.tasks().filter((r) => r.origin?.batchId === batchId).sort((a, b) => (a.origin?.variant ?? 0) - (b.origin?.variant ?? 0));
      return t.length === 2 && t.every((r) => r.state === 'completed' && r.localFile) ? t : undefined;
    }, 90_000);
    const marker = '2 takes of one prompt';
    await eventually('the compare page with both takes', async () => {
      const page = (await ui.text(marker))[0];
      return page !== undefined && takes.every((t) => page.includes(path.basename(t.localFile!)));
    });
    assert.equal(webviewTabs('sora.compare').length, 1, 'one compare view for the two takes');
    assert.equal(webviewTabs('sora.player').length, 0, 'no player opened by itself for one take of several');
    assert.ok(await ui.click(marker, 'Keep This One', 1));
    await eventually('the kept take in the Sora Player', async () => webviewTabs('sora.player').length === 1 && (await ui.text(takes[1].taskId!)).some((page) => page.includes(path.basename(takes[1].localFile!)) && !page.includes(marker)));
  });
});

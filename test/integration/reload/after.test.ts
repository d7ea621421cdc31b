import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { eventually } from '../eventually';
import { RELOAD_PROMPT, readReloadState } from '../reloadDrill';
import { SimulatorControl } from '../simulatorControl';
import { extension, fixtureVideo, workspaceRoot } from '../soraExtension';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The downloaded video of a task, found through its sidecar, without asking the extension. */
async function videoOf(taskId: string): Promise<string | undefined> {
  const dir = path.join(workspaceRoot(), 'videos');
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    if (!name.endsWith('.json')) continue;
    const sidecar = JSON.parse(await fs.readFile(path.join(dir, name), 'utf8')) as { taskId?: string };
    const video = path.join(dir, name.replace(/\.json$/, '.mp4'));
    if (sidecar.taskId === taskId && (await fs.stat(video).catch(() => undefined))) return video;
  }
  return undefined;
}

// Nothing here calls the extension's API or a command: the reload alone must bring it back.
describe('reload in the middle of a task (part 2: after "Developer: Reload Window")', () => {
  const sim = SimulatorControl.fromEnvironment();

  it('downloads the finished video with no user action, from a new extension host', async () => {
    const state = await readReloadState();
    assert.ok(state, 'part 1 recorded its task before the reload');
    assert.notEqual(process.pid, state.hostPid, 'a new extension host');
    await eventually('the extension host that started the task to exit', () => !alive(state.hostPid), 30_000);
    const oldHostGoneBy = Date.now();
    await eventually('the extension to be activated by the window startup', () => extension().isActive, 60_000);

    const video = await eventually('the video in the workspace', () => videoOf(state.taskId), 150_000);
    assert.deepEqual(await fs.readFile(video), await fixtureVideo());

    const requests = await sim.requests();
    const creates = requests.filter(
      (r) => r.path.endsWith('/api/v1/veo/generate') && (r.body as { prompt?: string } | undefined)?.prompt === RELOAD_PROMPT,
    );
    assert.equal(creates.length, 1, 'the task was created once, before the reload');
    const pollsAfter = requests.filter((r) => r.path.endsWith('/api/v1/veo/record-info') && r.query.taskId === state.taskId && r.at > state.reloadedAt);
    assert.ok(pollsAfter.length > 0, 'the new host polled the task');
    const downloads = requests.filter((r) => r.path.startsWith('/files/') && r.at >= state.startedAt);
    assert.ok(downloads.length > 0 && downloads.every((r) => r.at > oldHostGoneBy), 'downloaded by the new host only, after the old one was gone');
  });
});

import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PromptRun } from '../../../src/vscode/promptFiles/promptFileCommands';
import { eventually } from '../eventually';
import { RELOAD_BATCH_FILES, RELOAD_BATCH_FOLDER, RELOAD_PROMPT, readReloadState } from '../reloadDrill';
import { SimulatorControl } from '../simulatorControl';
import { extension, fixtureVideo, workspaceRoot } from '../soraExtension';
import { WebviewControl } from '../webviewControl';

const CREATE = '/api/v1/veo/generate';

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

describe('reload in the middle of a task (part 2: after "Developer: Reload Window")', () => {
  const sim = SimulatorControl.fromEnvironment();
  const ui = WebviewControl.fromEnvironment();

  // Nothing in this first test calls the extension's API or a command: the reload alone must bring it back.

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
      (r) => r.path.endsWith(CREATE) && (r.body as { prompt?: string } | undefined)?.prompt === RELOAD_PROMPT,
    );
    assert.equal(creates.length, 1, 'the task was created once, before the reload');
    const pollsAfter = requests.filter((r) => r.path.endsWith('/api/v1/veo/record-info') && r.query.taskId === state.taskId && r.at > state.reloadedAt);
    assert.ok(pollsAfter.length > 0, 'the new host polled the task');
    const downloads = requests.filter((r) => r.path.startsWith('/files/') && r.at >= state.startedAt);
    assert.ok(downloads.length > 0 && downloads.every((r) => r.at > oldHostGoneBy), 'downloaded by the new host only, after the old one was gone');
  });

  it('finishes the batch: three videos named after their files, three creations, three lock entries, the batch in the Sora view; again: nothing sent', async () => {
    const state = await readReloadState();
    assert.ok(state?.batch, 'part 1 recorded its batch before the reload');
    const root = workspaceRoot();
    const videos = path.join(root, 'videos', RELOAD_BATCH_FOLDER);
    const lockFile = path.join(root, '.sora-lock.json');
    type Lock = { files: Record<string, { batchId: string; output?: string; tasks: { id: string; taskId?: string; output?: string }[] }> };
    const readLock = async () => JSON.parse(await fs.readFile(lockFile, 'utf8')) as Lock;
    const batchEntries = (lock: Lock) => Object.entries(lock.files).filter(([file]) => file.startsWith(`${RELOAD_BATCH_FOLDER}/`));

    for (const [name] of RELOAD_BATCH_FILES) {
      const video = path.join(videos, `${name}.mp4`);
      await eventually(`videos/${RELOAD_BATCH_FOLDER}/${name}.mp4`, () => fs.access(video).then(() => true, () => false), 150_000);
      assert.deepEqual(await fs.readFile(video), await fixtureVideo());
    }
    // The completion is recorded in the lock by the new host, after the download.
    const lock = await eventually('the lock to record the three videos', async () => {
      const l = await readLock();
      return RELOAD_BATCH_FILES.every(([name]) => l.files[`${RELOAD_BATCH_FOLDER}/${name}.video.md`]?.output === `videos/${RELOAD_BATCH_FOLDER}/${name}.mp4`) && l;
    });
    const entries = batchEntries(lock);
    assert.equal(entries.length, 3, `lock entries: ${entries.map(([f]) => f).join(', ')}`);
    for (const [file, entry] of entries) {
      assert.equal(entry.batchId, state.batch.batchId, `${file} belongs to the batch sent before the reload`);
      assert.equal(entry.tasks.length, 1, `${file} lists one task`);
      const sidecar = JSON.parse(await fs.readFile(path.join(root, entry.output!.replace(/\.mp4$/, '.json')), 'utf8')) as { taskId?: string };
      assert.equal(sidecar.taskId, entry.tasks[0].taskId, `${file}: its video is its own task's`);
    }

    assert.deepEqual(entries.map(([, e]) => e.tasks[0].id).sort(), [...state.batch.taskIds].sort(), 'the lock lists the tasks sent before the reload');

    const prompts = new Set(RELOAD_BATCH_FILES.map(([, prompt]) => prompt));
    const creates = () => sim.requests().then((rs) => rs.filter((r) => r.path.endsWith(CREATE) && prompts.has((r.body as { prompt?: string } | undefined)?.prompt ?? '')));
    const sent = await creates();
    assert.equal(sent.length, 3, 'one creation per file, all before the reload');
    assert.ok(sent.every((r) => r.at < state.reloadedAt), 'nothing was sent again after the reload');
    const polls = (await sim.requests()).filter((r) => r.path.endsWith('/api/v1/veo/record-info') && r.at > state.reloadedAt);
    for (const [file, entry] of entries) assert.ok(polls.some((r) => r.query.taskId === entry.tasks[0].taskId), `${file}: its task was still running at the reload and the new host polled it`);

    // The Sora view as drawn: the batch is one group with its three files done, its tasks under it.
    await vscode.commands.executeCommand('workbench.view.extension.sora');
    await eventually('the batch group and its three tasks in the Sora view', async () => {
      const rows = await ui.viewRows('workbench.view.extension.sora');
      const group = rows.findIndex((row) => row.includes(`Batch: 3 prompt files in ${RELOAD_BATCH_FOLDER}`) && row.includes('3 done · 0 running · 0 failed'));
      if (group < 0) return undefined;
      const under = rows.slice(group + 1, group + 4);
      if (!RELOAD_BATCH_FILES.every(([, prompt]) => under.some((row) => row.startsWith(prompt)))) throw new Error(`the batch's tasks are not under it: ${rows.join(' | ')}`);
      return true;
    });

    const again = await vscode.commands.executeCommand<PromptRun | undefined>('sora.generateFolder', vscode.Uri.file(path.join(root, RELOAD_BATCH_FOLDER)), { confirm: false });
    assert.ok(again);
    assert.equal(again.plan.counts.upToDate, 3, JSON.stringify(again.plan.counts));
    assert.equal(again.result, undefined, 'the folder was sent again');
    assert.equal((await creates()).length, 3, 'running the folder again sent a file');
  });
});

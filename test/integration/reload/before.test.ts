import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PromptRun } from '../../../src/vscode/promptFiles/promptFileCommands';
import { eventually } from '../eventually';
import { RELOAD_BATCH_FILES, RELOAD_BATCH_FOLDER, RELOAD_MODEL, RELOAD_PROMPT, RELOAD_TASK_MS, writeReloadState, type ReloadState } from '../reloadDrill';
import { SimulatorControl } from '../simulatorControl';
import { request, soraApi, workspaceRoot } from '../soraExtension';

describe('reload in the middle of a task (part 1: before "Developer: Reload Window")', () => {
  const sim = SimulatorControl.fromEnvironment();
  const startedAt = Date.now();
  let task: Pick<ReloadState, 'taskId' | 'hostPid'> | undefined;
  let batch: ReloadState['batch'] | undefined;

  const polled = async (taskIds: string[]) => {
    const polls = (await sim.requests()).filter((r) => r.path.endsWith('/api/v1/veo/record-info'));
    return taskIds.every((id) => polls.some((r) => r.query.taskId === id));
  };

  it('leaves a polled task running', async () => {
    const api = await soraApi();
    await sim.scriptNextTasks({ durationMs: RELOAD_TASK_MS }, 1);
    const submitted = await api.generate({ ...request(RELOAD_PROMPT, RELOAD_MODEL) });
    assert.ok(submitted.taskId);
    await eventually('a poll of the task', () => polled([submitted.taskId!]));
    task = { taskId: submitted.taskId, hostPid: process.pid };
  });

  it('leaves a batch of three prompt files running (Generate All Prompt Files in Folder)', async () => {
    const folder = path.join(workspaceRoot(), RELOAD_BATCH_FOLDER);
    await fs.rm(folder, { recursive: true, force: true });
    await fs.mkdir(folder, { recursive: true });
    for (const [name, prompt] of RELOAD_BATCH_FILES) {
      await fs.writeFile(path.join(folder, `${name}.video.md`), `---\nmodel: ${RELOAD_MODEL}\naspect: "16:9"\nresolution: 720p\n---\n\n${prompt}\n`);
    }
    await sim.scriptNextTasks({ durationMs: RELOAD_TASK_MS }, RELOAD_BATCH_FILES.length);
    const run = await vscode.commands.executeCommand<PromptRun | undefined>('sora.generateFolder', vscode.Uri.file(folder), { confirm: false });
    assert.ok(run?.result, 'the folder was not sent');
    assert.equal(run.result.submitted.length, 3);
    const records = run.result.submitted.flatMap((s) => s.tasks);
    const kieIds = records.map((r) => r.taskId).filter((id): id is string => !!id);
    assert.equal(kieIds.length, 3, 'every task has its Kie id');
    await eventually('a poll of each of the three tasks', () => polled(kieIds));
    batch = { batchId: run.result.batchId, taskIds: records.map((r) => r.id) };
  });

  // Last, so the window is left as a user would leave it and the drill's state is written just before the reload.
  after(async () => {
    // A visible Sora view or player would activate the extension after the reload by itself; only
    // the startup activation may bring it back here.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.view.explorer');
    if (task && batch) await writeReloadState({ ...task, batch, startedAt, reloadedAt: Date.now() });
  });
});

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { eventually } from '../eventually';
import { RELOAD_MODEL, RELOAD_PROMPT, RELOAD_TASK_MS, writeReloadState } from '../reloadDrill';
import { SimulatorControl } from '../simulatorControl';
import { request, soraApi } from '../soraExtension';

describe('reload in the middle of a task (part 1: before "Developer: Reload Window")', () => {
  const sim = SimulatorControl.fromEnvironment();

  it('leaves a polled task running and nothing of the extension on screen', async () => {
    const startedAt = Date.now();
    const api = await soraApi();
    await sim.scriptNextTasks({ durationMs: RELOAD_TASK_MS }, 1);
    const task = await api.generate({ ...request(RELOAD_PROMPT, RELOAD_MODEL) });
    assert.ok(task.taskId);
    await eventually('a poll of the task', async () =>
      (await sim.requests()).some((r) => r.path.endsWith('/api/v1/veo/record-info') && r.query.taskId === task.taskId),
    );
    // A visible Sora view or player would activate the extension after the reload by itself; only
    // the startup activation may bring it back here.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.view.explorer');
    await writeReloadState({ taskId: task.taskId, hostPid: process.pid, startedAt, reloadedAt: Date.now() });
  });
});

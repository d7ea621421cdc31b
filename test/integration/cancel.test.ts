import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SoraApi } from '../../src/extension';
import { SimulatorControl } from './simulatorControl';
import { eventually } from './eventually';
import { request, soraApi, taskWhen } from './soraExtension';

describe('Cancel Task', () => {
  const sim = SimulatorControl.fromEnvironment();
  let api: SoraApi;

  before(async () => {
    api = await soraApi();
  });

  const polls = async (taskId: string) =>
    (await sim.requests()).filter((r) => r.path.endsWith('/api/v1/jobs/recordInfo') && r.query.taskId === taskId).length;

  it('stops polling for that task while other tasks carry on', async () => {
    // Long enough that the task is still running whenever the test cancels it.
    await sim.scriptNextTasks({ durationMs: 10 * 60_000 }, 1);
    const slow = await api.generate(request('A glacier melting, slowly', 'kling-3.0/video'));
    assert.ok(slow.taskId);
    await eventually('the first poll of the task', async () => (await polls(slow.taskId!)) >= 1);

    await vscode.commands.executeCommand('sora.cancelTask', slow.id);
    const stopped = await taskWhen(api, slow.id, 'stopped', (t) => t.state === 'stopped');
    assert.equal(stopped.localFile, undefined);
    const pollsWhenStopped = await polls(slow.taskId!);

    // The scheduler keeps running: a second task is polled to completion meanwhile.
    const other = await api.generate(request('A hummingbird at a feeder', 'kling-3.0/video'));
    await taskWhen(api, other.id, 'completed', (t) => t.state === 'completed');
    assert.ok((await polls(other.taskId!)) >= 1);

    assert.equal(await polls(slow.taskId!), pollsWhenStopped, 'no recordInfo for the cancelled task after it stopped');
    assert.equal(api.tasks().find((t) => t.id === slow.id)?.state, 'stopped');
  });
});

import * as assert from 'node:assert/strict';
import type { SoraApi } from '../../src/extension';
import { eventually } from './eventually';
import { RESTART_MODEL, RESTART_PROMPT, RESTART_TASK_MS, UNANSWERED_PROMPT } from './restartDrill';
import { SimulatorControl } from './simulatorControl';
import { request, soraApi } from './soraExtension';

describe('restart in the middle of a task (part 1: before the extension host dies)', () => {
  const sim = SimulatorControl.fromEnvironment();
  let api: SoraApi;

  before(async () => {
    api = await soraApi();
  });

  it('has the running task in the history, polled at least once', async () => {
    await sim.scriptNextTasks({ durationMs: RESTART_TASK_MS }, 1);
    const task = await api.generate(request(RESTART_PROMPT, RESTART_MODEL));
    assert.ok(task.taskId);
    await eventually('a poll of the task', async () =>
      (await sim.requests()).some((r) => r.path.endsWith('/api/v1/jobs/recordInfo') && r.query.taskId === task.taskId),
    );
    const now = api.tasks().find((t) => t.id === task.id);
    assert.ok(now && ['queued', 'generating'].includes(now.state), `state ${now?.state}`);
  });

  it('has a submission in flight whose createTask Kie has not answered', async () => {
    await sim.failNext('/api/v1/veo/generate', { kind: 'slow', delayMs: 600_000 });
    // Not awaited: the extension host dies while the request is on the wire.
    void api.generate({ ...request(UNANSWERED_PROMPT, 'veo3_fast') }).catch(() => undefined);
    await eventually('the submission in the history', () => api.tasks().find((t) => t.request.prompt === UNANSWERED_PROMPT && t.state === 'submitting'));
  });
});

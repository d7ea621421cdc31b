import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { SoraApi } from '../../../src/extension';
import { eventually } from '../eventually';
import { RESTART_PROMPT, UNANSWERED_PROMPT } from '../restartDrill';
import { SimulatorControl } from '../simulatorControl';
import { fixtureVideo, soraApi, taskWhen, workspaceRoot } from '../soraExtension';

describe('restart in the middle of a task (part 2: a new extension host)', () => {
  const sim = SimulatorControl.fromEnvironment();
  let api: SoraApi;

  before(async () => {
    api = await soraApi();
  });

  it('finds the task in the history, finishes it and never creates it again', async () => {
    const task = await eventually('the task in the history read at activation', () => api.tasks().find((t) => t.request.prompt === RESTART_PROMPT));
    // The dead host's ownership must go stale before this one takes over (30 s), so allow for that.
    const done = await taskWhen(api, task.id, 'completed after the restart', (t) => t.state === 'completed', 150_000);
    assert.ok(done.localFile);
    assert.equal(path.dirname(done.localFile), path.join(workspaceRoot(), 'videos'));
    assert.deepEqual(await fs.readFile(done.localFile), await fixtureVideo());

    const creates = (await sim.requests()).filter(
      (r) => r.path.endsWith('/api/v1/jobs/createTask') && (r.body as { input?: { prompt?: string } } | undefined)?.input?.prompt === RESTART_PROMPT,
    );
    assert.equal(creates.length, 1, 'one createTask for the task, before and after the restart');
    await eventually('the "Video ready" notification in the new host', () =>
      api.recentMessages().some((m) => m.text.startsWith('Video ready') && m.text.includes(RESTART_PROMPT.slice(0, 30))),
    );
  });

  it('announces the submission that may exist once, keeps it as unknown and never resends it', async () => {
    const announced = () => api.recentMessages().filter((m) => m.text.startsWith('VS Code closed before Kie confirmed'));
    await eventually('the "may exist" notification', () => announced().length > 0, 120_000);
    // Later heartbeats must not announce it again.
    await new Promise((r) => setTimeout(r, 12_000));
    const shown = announced();
    assert.equal(shown.length, 1, 'one notification');
    assert.ok(shown[0].actions.includes('Adopt Kie Task…'));
    const rec = api.tasks().find((t) => t.request.prompt === UNANSWERED_PROMPT);
    assert.equal(rec?.state, 'unknown');
    const creates = (await sim.requests()).filter(
      (r) => r.path.endsWith('/api/v1/veo/generate') && (r.body as { prompt?: string } | undefined)?.prompt === UNANSWERED_PROMPT,
    );
    assert.ok(creates.length <= 1, 'never sent again');
  });
});

import * as assert from 'node:assert/strict';
import type { LocalTaskState, TaskOrigin, TaskRecord } from '../../../src/core/tasks/task';
import { finishedTakes, variantSiblings } from '../../../src/core/tasks/variantTakes';

let n = 0;
function task(origin: TaskOrigin | undefined, state: LocalTaskState = 'completed', localFile: string | null = `/v/take${++n}.mp4`): TaskRecord {
  return {
    id: `t${++n}`,
    model: 'veo3_fast',
    family: 'veo',
    request: { model: 'veo3_fast', prompt: 'p' },
    outputDir: '/v',
    createdAt: n,
    updatedAt: n,
    state,
    history: [],
    ...(origin ? { origin } : {}),
    ...(localFile ? { localFile } : {}),
  };
}

describe('variant takes', () => {
  const file = '/w/intro.video.md';
  const a1 = task({ kind: 'promptFile', file, batchId: 'b1', variant: 2 });
  const a2 = task({ kind: 'promptFile', file, batchId: 'b1', variant: 1 });
  const otherBatch = task({ kind: 'promptFile', file, batchId: 'b2', variant: 1 });
  const otherFile = task({ kind: 'promptFile', file: '/w/outro.video.md', batchId: 'b1', variant: 1 });
  const form = task({ kind: 'form', batchId: 'b1', variant: 1 });
  const single = task({ kind: 'promptFile', file, batchId: 'b1' });
  const all = [a1, a2, otherBatch, otherFile, form, single];

  it('are the tasks of one file (or the form) and one batch that carry a variant number', () => {
    assert.deepEqual(variantSiblings(all, a1).map((r) => r.id).sort(), [a1.id, a2.id].sort());
    assert.deepEqual(variantSiblings(all, form).map((r) => r.id), [form.id]);
    assert.deepEqual(variantSiblings(all, single), [], 'a task that is no variant has no siblings');
  });

  it('are ready to compare only once none is under way, in variant order, finished ones with a video only', () => {
    assert.deepEqual(finishedTakes([a1, a2])?.map((r) => r.id), [a2.id, a1.id]);
    for (const state of ['submitting', 'queued', 'generating', 'succeeded', 'downloading'] as const) {
      assert.equal(finishedTakes([a1, a2, task({ kind: 'promptFile', file, batchId: 'b1', variant: 3 }, state)]), undefined, `a sibling ${state}`);
    }
    const failed = task({ kind: 'promptFile', file, batchId: 'b1', variant: 3 }, 'failed', null);
    assert.deepEqual(finishedTakes([a1, a2, failed])?.map((r) => r.id), [a2.id, a1.id], 'a failed take leaves the others to compare');
    assert.equal(finishedTakes([a1, failed]), undefined, 'one take is nothing to compare');
    assert.equal(finishedTakes([a1, task({ kind: 'promptFile', file, batchId: 'b1', variant: 2 }, 'completed', null)]), undefined, 'a take without its video on disk is not shown');
  });
});

import * as assert from 'node:assert/strict';
import type { BatchPlan, PlanEntry } from '../../../src/core/prompts/batchPlan';
import type { TaskRecord } from '../../../src/core/tasks/task';
import { batchLabel, batchTasks, parentOf, topLevel } from '../../../src/vscode/promptFiles/batchGroups';
import { lensTitles } from '../../../src/vscode/promptFiles/lensText';
import { planSummary } from '../../../src/vscode/promptFiles/planSummary';

/** Fills placeholders like vscode.l10n.t, so the tests read the English text. */
const t = (m: string, ...a: (string | number | boolean)[]): string => m.replace(/\{(\d+)\}/g, (_, i: string) => String(a[Number(i)]));

const entry = (over: Partial<PlanEntry>): PlanEntry => ({ file: '/w/a.video.md', status: 'generate', reason: 'new', variants: 1, diagnostics: [], credits: 60, ...over });
const task = (over: Partial<TaskRecord>): TaskRecord => ({ id: 't1', model: 'veo3_fast', family: 'veo', request: { model: 'veo3_fast', prompt: 'x', aspectRatio: 'landscape' }, outputDir: '/w', createdAt: 0, updatedAt: 0, state: 'completed', history: [], ...over }) as TaskRecord;

describe('prompt files: CodeLens titles', () => {
  it('Generate with its price for a new file, Regenerate once the inputs changed', () => {
    assert.equal(lensTitles(entry({}), undefined, 0, t).generate, '▶ Generate · ≈60 credits');
    assert.equal(lensTitles(entry({ reason: 'changed' }), undefined, 0, t).generate, '▶ Regenerate · ≈60 credits');
    assert.equal(lensTitles(entry({ credits: undefined }), undefined, 0, t).generate, '▶ Generate');
  });

  it("the last run's state: done with its age and Open, running with its seconds, failed with Kie's reason", () => {
    const done = lensTitles(entry({ status: 'upToDate' }), task({ updatedAt: 0 }), 2 * 3600_000 + 5, t);
    assert.deepEqual(done, { state: '✓ 2 h ago', open: true });
    assert.equal(lensTitles(entry({ status: 'running' }), task({ state: 'generating', createdAt: 1000 }), 36_000, t).state, 'generating 35 s');
    const failed = lensTitles(entry({ reason: 'failed' }), task({ state: 'failed', error: { kind: 'generationFailed', message: 'm', detail: 'content policy' } }), 0, t);
    assert.equal(failed.state, '✗ failed: content policy');
    assert.equal(failed.generate, '▶ Regenerate · ≈60 credits');
  });

  it('a file with problems offers no Generate', () => {
    const r = lensTitles(entry({ status: 'invalid', diagnostics: [{ code: 'retired', message: '', range: { line: 1, column: 0, endLine: 1, endColumn: 1 } }] }), undefined, 0, t);
    assert.equal(r.generate, undefined);
    assert.match(r.state!, /1 problem/);
  });
});

describe('prompt files: the plan as the confirmation shows it', () => {
  it('says what is up to date, what will be sent, the credits, the balance after and the budget stop', () => {
    const send = [entry({}), entry({ file: '/w/b.video.md', variants: 2, credits: 120 })];
    const plan: BatchPlan = {
      entries: [...send, entry({ status: 'upToDate' }), entry({ file: '/w/c.video.md', withinBudget: false })],
      counts: { upToDate: 1, running: 0, uncertain: 0, generate: 3, invalid: 0 },
      toSend: send,
      overBudget: [entry({ file: '/w/c.video.md' })],
      credits: 180,
      unpriced: 0,
      budget: 200,
      balanceAfter: 820,
    };
    const s = planSummary(plan, 'shots', t);
    assert.equal(s.question, 'Generate 2 prompt file(s) in shots?');
    assert.equal(s.action, 'Generate 3 Video(s)');
    assert.match(s.facts, /1 prompt file\(s\) up to date, 3 to generate \(3 video\(s\)\)/);
    assert.match(s.facts, /≈180 credits/);
    assert.match(s.facts, /Balance after: ≈820 credits/);
    assert.match(s.facts, /sora\.batchBudgetCredits: 200 credits\) stops the batch after 2 file\(s\) \(≈180 credits\): the next would pass it\. Not sent: c\.video\.md \(≈60 credits\)\./);
  });
});

describe('prompt files: a batch as one group in the Sora view', () => {
  const origin = (file: string, batchId: string) => ({ kind: 'promptFile' as const, file, batchId });
  const tasks = [
    task({ id: 'a', createdAt: 3, origin: origin('/w/a.video.md', 'b1') }),
    task({ id: 'b', createdAt: 4, state: 'generating', origin: origin('/w/b.video.md', 'b1') }),
    task({ id: 'c', createdAt: 5, state: 'failed', taskId: 'k', origin: origin('/w/c.video.md', 'b1'), creditsConsumed: 10 }),
    task({ id: 'solo', createdAt: 6, origin: origin('/w/d.video.md', 'b2') }),
    task({ id: 'form', createdAt: 1 }),
  ];

  it('groups a batch of several tasks, leaves a single run and form tasks alone, newest first', () => {
    assert.deepEqual(topLevel(tasks), ['solo', 'batch:b1', 'form']);
    assert.deepEqual(batchTasks('batch:b1', tasks).map((x) => x.id), ['a', 'b', 'c']);
    assert.equal(parentOf(tasks[1], tasks), 'batch:b1');
    assert.equal(parentOf(tasks[3], tasks), undefined);
  });

  it('describes the progress: done, running, failed and the credits', () => {
    const { label, description } = batchLabel(batchTasks('batch:b1', tasks), t);
    assert.equal(label, 'Batch: 3 prompt files in w');
    // Two Veo 3.1 Fast videos estimated at their default 1080p (65 each) and the failed one's reported 10.
    assert.equal(description, '1 done · 1 running · 1 failed · ≈140 credits');
  });
});

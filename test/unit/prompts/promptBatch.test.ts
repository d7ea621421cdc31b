import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findBundled } from '../../../src/core/models/bundledSpecs';
import { planBatch, type PlanSources } from '../../../src/core/prompts/batchPlan';
import { runBatch, type PromptSubmission } from '../../../src/core/prompts/batchRunner';
import { inputHash } from '../../../src/core/prompts/inputHash';
import { promptOutputPlace } from '../../../src/core/prompts/outputPlace';
import { PromptLock } from '../../../src/core/prompts/promptLock';
import type { TaskRecord } from '../../../src/core/tasks/task';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const models = { spec: findBundled, alternatives: () => [] };

function promptText(prompt: string, extra = ''): string {
  return `---\nmodel: veo3_fast\nresolution: 720p\n${extra}---\n\n${prompt}\n`;
}

describe('prompt files: input hash', () => {
  let dir = '';
  beforeEach(async () => (dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hash-'))));
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it("an image's bytes count; its modification time and its name do not", async () => {
    const a = path.join(dir, 'a.png');
    await fs.writeFile(a, Buffer.concat([PNG, Buffer.from('one')]));
    const req = { model: 'veo3_fast', prompt: 'Waves', images: { first: a } };
    const h1 = await inputHash(req);
    await fs.utimes(a, new Date(2001, 1, 1), new Date(2001, 1, 1));
    assert.equal(await inputHash(req), h1, 'touching the file changed the hash');
    const b = path.join(dir, 'b.png');
    await fs.copyFile(a, b);
    assert.equal(await inputHash({ ...req, images: { first: b } }), h1, 'the same bytes under another name changed the hash');
    await fs.writeFile(a, Buffer.concat([PNG, Buffer.from('two')]));
    assert.notEqual(await inputHash(req), h1, 'new pixels did not change the hash');
  });

  it('the prompt, the model and every option count; key order and surrounding blanks do not', async () => {
    const base = await inputHash({ model: 'veo3_fast', prompt: 'Waves', aspect: '16:9', options: { a: 1, b: true } });
    assert.equal(await inputHash({ options: { b: true, a: 1 }, aspect: '16:9', prompt: '  Waves\n', model: 'veo3_fast' }), base);
    assert.notEqual(await inputHash({ model: 'veo3_fast', prompt: 'Waves!', aspect: '16:9', options: { a: 1, b: true } }), base);
    assert.notEqual(await inputHash({ model: 'veo3', prompt: 'Waves', aspect: '16:9', options: { a: 1, b: true } }), base);
    assert.notEqual(await inputHash({ model: 'veo3_fast', prompt: 'Waves', aspect: '16:9', options: { a: 2, b: true } }), base);
  });

  it('an unreadable image fails the hash instead of hashing the path', async () => {
    await assert.rejects(inputHash({ model: 'veo3_fast', prompt: 'Waves', images: { first: path.join(dir, 'gone.png') } }));
  });
});

describe('prompt files: lock record', () => {
  let dir = '';
  beforeEach(async () => (dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lock-'))));
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('keeps entries by path relative to its folder, survives reopening, and serialises concurrent updates', async () => {
    const lockPath = path.join(dir, '.sora-lock.json');
    const lock = await PromptLock.open(lockPath);
    const file = (n: number): string => path.join(dir, 'shots', `s${n}.video.md`);
    await Promise.all(Array.from({ length: 10 }, (_, i) => lock.update(file(i), () => ({ hash: `h${i}`, batchId: 'b', at: 'now', tasks: [] }))));
    const again = await PromptLock.open(lockPath);
    assert.equal(again.entries().length, 10);
    assert.equal(again.get(file(3))?.hash, 'h3');
    assert.ok(again.entries().every(([k]) => k.startsWith('shots/')));
  });

  it('refuses a file that is not a lock, and leaves it untouched', async () => {
    const lockPath = path.join(dir, '.sora-lock.json');
    await fs.writeFile(lockPath, '{"something": "else"}');
    await assert.rejects(PromptLock.open(lockPath), /not a Sora lock file/);
    assert.equal(await fs.readFile(lockPath, 'utf8'), '{"something": "else"}');
  });
});

describe('prompt files: output place', () => {
  it('mirrors the prompt folder under the output folder, so two intro.video.md stay apart', () => {
    const root = path.resolve('/ws');
    assert.deepEqual(promptOutputPlace(path.join(root, 'a', 'intro.video.md'), root, 'videos'), { dir: path.join(root, 'videos', 'a'), name: 'intro' });
    assert.deepEqual(promptOutputPlace(path.join(root, 'b', 'intro.video.md'), root, 'videos'), { dir: path.join(root, 'videos', 'b'), name: 'intro' });
    assert.deepEqual(promptOutputPlace(path.join(root, 'intro.video.md'), root, path.resolve('/out')), { dir: path.join(path.resolve('/out'), 'ws'), name: 'intro' });
    assert.deepEqual(promptOutputPlace(path.resolve('/else/intro.video.md'), root, 'videos'), { dir: path.resolve('/else'), name: 'intro' });
  });
});

describe('prompt files: batch plan and budget', () => {
  let dir = '';
  let lock: PromptLock;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'plan-'));
    lock = await PromptLock.open(path.join(dir, '.sora-lock.json'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  const sources = (files: { file: string; text: string }[], extra: Partial<PlanSources> = {}): PlanSources => ({
    files,
    lockEntry: (f) => lock.get(f),
    tasks: [],
    models,
    exists: async (p) => fs.access(p).then(() => true, () => false),
    lockPath: (_file, rel) => lock.absolute(rel),
    ...extra,
  });
  const f = (n: string): string => path.join(dir, `${n}.video.md`);

  it('counts new, up-to-date, changed, running and invalid files, and prices what will be sent', async () => {
    const files = [
      { file: f('a'), text: promptText('A') },
      { file: f('b'), text: promptText('B') },
      { file: f('c'), text: promptText('C') },
      { file: f('d'), text: promptText('D') },
      { file: f('e'), text: '---\nmodel: sora-2-text-to-video\n---\nE\n' },
    ];
    const first = await planBatch(sources(files, { balance: 1000 }));
    assert.deepEqual(first.counts, { upToDate: 0, running: 0, uncertain: 0, generate: 4, invalid: 1 });
    // veo3_fast at 720p is 60 credits a video.
    assert.equal(first.credits, 240);
    assert.equal(first.balanceAfter, 760);
    // a: done (its video exists), b: sent and running, c: sent with other inputs.
    const byFile = new Map(first.entries.map((e) => [e.file, e]));
    await fs.writeFile(path.join(dir, 'a.mp4'), 'video');
    await lock.update(f('a'), () => ({ hash: byFile.get(f('a'))!.hash!, batchId: 'b1', at: '', tasks: [{ id: 't-a', output: 'a.mp4' }], output: 'a.mp4' }));
    await lock.update(f('b'), () => ({ hash: byFile.get(f('b'))!.hash!, batchId: 'b1', at: '', tasks: [] }));
    await lock.update(f('c'), () => ({ hash: 'older', batchId: 'b1', at: '', tasks: [] }));
    const running = { id: 't-b', state: 'generating', origin: { kind: 'promptFile', file: f('b'), batchId: 'b1' } } as unknown as TaskRecord;
    const second = await planBatch(sources(files, { tasks: [running] }));
    assert.deepEqual(second.counts, { upToDate: 1, running: 1, uncertain: 0, generate: 2, invalid: 1 });
    assert.deepEqual(second.toSend.map((e) => [path.basename(e.file), e.reason]), [['c.video.md', 'changed'], ['d.video.md', 'new']]);
    // The video went away: made again.
    await fs.rm(path.join(dir, 'a.mp4'));
    const third = await planBatch(sources(files, { tasks: [running] }));
    assert.equal(third.entries.find((e) => e.file === f('a'))?.reason, 'missingVideo');
  });

  it('stops at the first file the budget cannot cover, and multiplies by variants', async () => {
    const files = [
      { file: f('1'), text: promptText('one') },
      { file: f('2'), text: promptText('two', 'variants: 3\n') },
      { file: f('3'), text: promptText('three') },
    ];
    const plan = await planBatch(sources(files, { budget: 200 }));
    assert.deepEqual(plan.toSend.map((e) => path.basename(e.file)), ['1.video.md']);
    assert.deepEqual(plan.overBudget.map((e) => [path.basename(e.file), e.credits]), [['2.video.md', 180], ['3.video.md', 60]]);
    assert.equal(plan.credits, 60);
    const open = await planBatch(sources(files, { budget: 0 }));
    assert.equal(open.credits, 300);
    assert.equal(open.overBudget.length, 0);
  });

  it('the runner holds the batch to its budget as it sends, whatever entries it is given', async () => {
    const files = ['a', 'b', 'c', 'd'].map((n) => ({ file: f(n), text: promptText(n.toUpperCase()) }));
    // Planned without the cap, so every file is offered to the runner; 150 credits fit two 60-credit files.
    const plan = await planBatch(sources(files));
    const sent: string[] = [];
    const result = await runBatch({
      entries: plan.toSend,
      budget: 150,
      lockFor: async () => lock,
      outputFor: (file) => promptOutputPlace(file, dir, 'videos'),
      submitter: {
        submit: async (s) => {
          sent.push(s.request.prompt);
          return { id: `t-${s.request.prompt}` } as TaskRecord;
        },
      },
    });
    assert.deepEqual(sent.sort(), ['A', 'B'], 'with four workers, still the first two in order');
    assert.deepEqual(result.overBudget.map((file) => path.basename(file)), ['c.video.md', 'd.video.md']);
    assert.equal(lock.get(f('c')), undefined, 'a file held back is not recorded as sent');
    const unpriced = await runBatch({ entries: [{ ...plan.toSend[0], credits: undefined }], budget: 150, lockFor: async () => lock, outputFor: (file) => promptOutputPlace(file, dir, 'videos'), submitter: { submit: async () => assert.fail('an unpriced file was sent under a budget') } });
    assert.deepEqual(unpriced.overBudget, [f('a')]);
  });

  it('a failing submission keeps its siblings; an account-wide refusal stops the rest unsent', async () => {
    const files = ['a', 'b', 'c', 'd'].map((n) => ({ file: f(n), text: promptText(n.toUpperCase()) }));
    const plan = await planBatch(sources(files));
    const sent: PromptSubmission[] = [];
    const { KieError } = await import('../../../src/core/kie/errors');
    const result = await runBatch({
      entries: plan.toSend,
      concurrency: 1,
      lockFor: async () => lock,
      outputFor: (file) => promptOutputPlace(file, dir, 'videos'),
      submitter: {
        submit: async (s) => {
          sent.push(s);
          if (s.request.prompt === 'B') throw new KieError({ kind: 'validation', message: 'Kie refused B' });
          if (s.request.prompt === 'C') throw new KieError({ kind: 'insufficientCredits', message: 'No credits' });
          return { id: `t-${s.request.prompt}` } as TaskRecord;
        },
      },
    });
    assert.deepEqual(sent.map((s) => s.request.prompt), ['A', 'B', 'C']);
    assert.deepEqual(result.submitted.map((s) => path.basename(s.file)), ['a.video.md']);
    assert.deepEqual(result.failed.map((s) => path.basename(s.file)), ['b.video.md', 'c.video.md']);
    assert.deepEqual(result.notSent.map((s) => path.basename(s)), ['d.video.md']);
    assert.deepEqual(sent[0].origin, { kind: 'promptFile', file: f('a'), batchId: result.batchId });
    assert.equal(sent[0].outputName, 'a');
    assert.deepEqual(lock.get(f('a'))?.tasks, [{ id: 't-A' }]);
  });
});

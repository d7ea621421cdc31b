import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KieClient } from '../../../src/core/kie/kieClient';
import { findBundled } from '../../../src/core/models/bundledSpecs';
import { planBatch, type PlanSources } from '../../../src/core/prompts/batchPlan';
import { recordCompletion, runBatch } from '../../../src/core/prompts/batchRunner';
import { promptOutputPlace } from '../../../src/core/prompts/outputPlace';
import { PromptLock } from '../../../src/core/prompts/promptLock';
import { taskServiceSubmitter } from '../../../src/core/prompts/taskServiceSubmitter';
import { TaskLedger } from '../../../src/core/tasks/ledger';
import { adaptivePolicy } from '../../../src/core/tasks/scheduler';
import { TaskService } from '../../../src/core/tasks/taskService';
import { startSimulator, type Simulator } from '../../../src/simulator/server';

async function waitFor(what: string, done: () => boolean, limitMs = 60_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > until) throw new Error(`Gave up waiting for ${what}`);
    await sleep(25);
  }
}

describe('prompt-file batches against the simulator (real TaskService and KieClient)', function () {
  this.timeout(120_000);
  let sim: Simulator;
  let dir = '';
  let client: KieClient;
  let service: TaskService;
  let ledger: TaskLedger;
  let lock: PromptLock;
  // The lock is written after a completion event, not before the service is idle: a test reads it only once these are done.
  let lockWrites: Promise<unknown>[] = [];
  const settled = async () => {
    await service.idle();
    await Promise.all(lockWrites);
  };

  beforeEach(async () => {
    lockWrites = [];
    // Kie's own creation limit, enforced: a creation past 20 in 10 s is answered 429.
    sim = await startSimulator({ defaultDurationMs: 300, createTasksPer10s: 20 });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'prompt-batch-'));
    ledger = await TaskLedger.open(path.join(dir, 'state', 'tasks.json'));
    client = new KieClient({ apiBaseUrl: sim.url, uploadBaseUrl: sim.uploadUrl, imgbbBaseUrl: sim.imgbbUrl, apiKey: sim.apiKey });
    service = new TaskService({ ledger, client: () => client, ownerId: 'w1', policy: adaptivePolicy({ timeScale: 0.01 }), expectedMs: () => 300, pollBackoff: { baseMs: 50, maxMs: 500 } });
    lock = await PromptLock.open(path.join(dir, '.sora-lock.json'));
    service.onEvent((e) => {
      if (e.type === 'completed') {
        const place = promptOutputPlace(e.task.origin!.file!, dir, 'videos');
        lockWrites.push(recordCompletion(lock, e.task, path.join(place.dir, `${place.name}.mp4`), (id) => ledger.get(id)));
      }
    });
  });

  afterEach(async () => {
    service.dispose();
    await service.idle();
    await client.close();
    await sim.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const sources = (files: { file: string; text: string }[]): PlanSources => ({
    files,
    lockEntry: (f) => lock.get(f),
    tasks: ledger.all(),
    models: { spec: findBundled, alternatives: () => [] },
    exists: async (p) => fs.access(p).then(() => true, () => false),
    lockPath: (_file, rel) => lock.absolute(rel),
  });

  const run = async (files: { file: string; text: string }[]) => {
    const plan = await planBatch(sources(files));
    const result = await runBatch({ entries: plan.toSend, submitter: taskServiceSubmitter(service), lockFor: async () => lock, outputFor: (f) => promptOutputPlace(f, dir, 'videos') });
    return { plan, result };
  };

  it('sends 50 files with zero 429s, names each video after its file, then sends nothing for unchanged files', async () => {
    const files = Array.from({ length: 50 }, (_, i) => ({
      file: path.join(dir, 'shots', `shot${String(i).padStart(2, '0')}.video.md`),
      text: `---\nmodel: veo3_fast\n---\nShot number ${i}\n`,
    }));
    const { plan, result } = await run(files);
    assert.equal(plan.toSend.length, 50);
    assert.equal(result.submitted.length, 50, JSON.stringify(result.failed.map((f) => String(f.error))));
    const creates = sim.requests.filter((r) => r.path.endsWith('/veo/generate'));
    assert.equal(creates.length, 50);
    assert.equal(creates.filter((r) => r.status === 429).length, 0, 'Kie answered 429 to a creation');
    await waitFor('50 videos', () => ledger.all().filter((r) => r.state === 'completed').length === 50);
    await settled();
    const names = (await fs.readdir(path.join(dir, 'videos', 'shots'))).sort();
    assert.equal(names.filter((n) => n.endsWith('.mp4')).length, 50);
    assert.ok(names.includes('shot07.mp4') && names.includes('shot07.json'));

    await lock.reload();
    const again = await run(files);
    assert.equal(again.plan.counts.upToDate, 50);
    assert.equal(again.result.submitted.length, 0);
    assert.equal(sim.requests.filter((r) => r.path.endsWith('/veo/generate')).length, 50, 'an unchanged file was sent again');
  });

  it('an edited prompt is sent alone; its previous take is kept under the name of the task that made it', async () => {
    const a = { file: path.join(dir, 'intro.video.md'), text: '---\nmodel: veo3_fast\n---\nFirst take\n' };
    const b = { file: path.join(dir, 'outro.video.md'), text: '---\nmodel: veo3_fast\n---\nThe end\n' };
    await run([a, b]);
    await waitFor('two videos', () => ledger.all().filter((r) => r.state === 'completed').length === 2);
    await settled();
    const firstTake = ledger.all().find((r) => r.origin?.file === a.file)!;
    await lock.reload();

    const edited = { ...a, text: '---\nmodel: veo3_fast\n---\nSecond take\n' };
    const { plan, result } = await run([edited, b]);
    assert.deepEqual(plan.toSend.map((e) => path.basename(e.file)), ['intro.video.md']);
    assert.equal(result.submitted.length, 1);
    await waitFor('the new take', () => ledger.all().filter((r) => r.state === 'completed').length === 3);
    await settled();
    const videos = path.join(dir, 'videos');
    const suffix = firstTake.taskId!.toLowerCase().replace(/[^a-z0-9]/g, '').slice(-8);
    const sidecar = JSON.parse(await fs.readFile(path.join(videos, 'intro.json'), 'utf8')) as { prompt: string; file: string };
    assert.equal(sidecar.prompt, 'Second take');
    const kept = JSON.parse(await fs.readFile(path.join(videos, `intro.${suffix}.json`), 'utf8')) as { prompt: string; file: string };
    assert.equal(kept.prompt, 'First take');
    assert.equal(kept.file, `intro.${suffix}.mp4`);
    await fs.access(path.join(videos, `intro.${suffix}.mp4`));
    assert.equal(ledger.get(firstTake.id)?.localFile, path.join(videos, `intro.${suffix}.mp4`), 'the history lost the previous take');
    await lock.reload();
    assert.equal(lock.get(a.file)?.output, 'videos/intro.mp4');
  });
});

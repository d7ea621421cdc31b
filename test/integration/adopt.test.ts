import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { KieClient } from '../../src/core/kie/kieClient';
import { findBundled } from '../../src/core/models/bundledSpecs';
import { buildRequest } from '../../src/core/models/requestBuilder';
import type { TaskRecord } from '../../src/core/tasks/task';
import type { SoraApi } from '../../src/extension';
import { SimulatorControl } from './simulatorControl';
import { fixtureVideo, request, messagesSince, soraApi, taskWhen } from './soraExtension';
import { eventually } from './eventually';

describe('Sora: Adopt Kie Task… and a submission Kie never confirmed', () => {
  const sim = SimulatorControl.fromEnvironment();
  let api: SoraApi;

  before(async () => {
    api = await soraApi();
  });

  it('is in the Command Palette', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes('sora.adoptTask'));
  });

  it('downloads the video of a task the extension never made, by its task ID, creating nothing', async () => {
    // A task made at Kie from somewhere else (another machine, a history this one lost).
    const elsewhere = new KieClient({ apiBaseUrl: sim.url, uploadBaseUrl: sim.url, imgbbBaseUrl: sim.url, apiKey: process.env.KIE_API_KEY ?? '' });
    const spec = findBundled('veo3_fast');
    assert.ok(spec);
    const taskId = await elsewhere.createTask(spec.family, buildRequest(spec, { prompt: 'A kite over a green hill', aspect: '16:9' }));
    await elsewhere.close();
    const createsBefore = await sim.count('/api/v1/veo/generate');

    const adopted = await vscode.commands.executeCommand<TaskRecord | undefined>('sora.adoptTask', taskId);
    assert.ok(adopted, 'the task was adopted');
    assert.equal(adopted.family, 'veo');
    const done = await taskWhen(api, adopted.id, 'downloaded', (t) => t.state === 'completed');
    assert.deepEqual(await fs.readFile(done.localFile!), await fixtureVideo());
    assert.equal(await sim.count('/api/v1/veo/generate'), createsBefore, 'no createTask');
    assert.ok(await sim.count('/api/v1/jobs/recordInfo'), 'the jobs API was asked first');
  });

  it('a gateway 504 on createTask: "may exist", no Retry, kept in the history, one createTask', async () => {
    const prompt = 'A gateway timeout that may have cost credits';
    const snapshot = api.recentMessages();
    const before = await sim.count('/api/v1/veo/generate');
    await sim.failNext('/api/v1/veo/generate', { kind: 'malformed', httpStatus: 504, body: '<html><body><h1>504 Gateway Time-out</h1></body></html>' });
    await assert.rejects(api.generate({ ...request(prompt, 'veo3_fast') }));
    const shown = await eventually('the "may exist" notification', () => messagesSince(api, snapshot).find((m) => /may already exist/.test(m.text)));
    assert.ok(!shown.actions.includes('Retry'), `actions: ${shown.actions.join(', ')}`);
    assert.ok(shown.actions.includes('Adopt Kie Task…'));
    assert.equal((await sim.count('/api/v1/veo/generate')) - before, 1);
    const rec = api.tasks().find((t) => t.request.prompt === prompt);
    assert.equal(rec?.state, 'unknown');
  });
});

import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SoraApi } from '../../src/extension';
import { SimulatorControl } from './simulatorControl';
import { soraApi, workspaceRoot } from './soraExtension';

const CREATES = ['/api/v1/veo/generate', '/api/v1/jobs/createTask'];

function resultJson(result: vscode.LanguageModelToolResult): Record<string, unknown> {
  const part = result.content[0];
  assert.ok(part instanceof vscode.LanguageModelTextPart, 'the tool answers with text');
  return JSON.parse(part.value) as Record<string, unknown>;
}

async function creates(sim: SimulatorControl): Promise<number> {
  let n = 0;
  for (const p of CREATES) n += await sim.count(p);
  return n;
}

describe('language model tools (vscode.lm.invokeTool)', () => {
  const sim = SimulatorControl.fromEnvironment();
  let api: SoraApi;

  before(async function () {
    api = await soraApi();
    if (typeof vscode.lm?.invokeTool !== 'function') this.skip();
  });

  it('are registered with names a user can reference', () => {
    const names = vscode.lm.tools.map((t) => t.name);
    for (const n of ['generate_video', 'get_video_task', 'list_video_models']) assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
  });

  it('list_video_models gives real models with their options and prices', async () => {
    const models = JSON.parse((await vscode.lm.invokeTool('list_video_models', { input: {}, toolInvocationToken: undefined })).content.map((p) => (p as vscode.LanguageModelTextPart).value).join('')) as {
      id: string;
      inputs: { options: { name: string }[] };
      price: { creditsForDefaults?: number };
    }[];
    const veo = models.find((m) => m.id === 'veo3_fast');
    assert.ok(veo && veo.inputs.options.some((o) => o.name === 'resolution') && (veo.price.creditsForDefaults ?? 0) > 0);
    assert.ok(!models.some((m) => m.id.startsWith('sora-')));
  });

  it('generate_video returns at once with a task id; the video arrives in the workspace; get_video_task reports it', async () => {
    const before = await creates(sim);
    const started = Date.now();
    const result = resultJson(
      await vscode.lm.invokeTool('generate_video', { input: { prompt: 'A kite over a windy beach, agent made', model: 'veo3_fast', resolution: '720p', duration: 4 }, toolInvocationToken: undefined }),
    );
    const ms = Date.now() - started;
    console.log(`generate_video answered in ${ms} ms`);
    assert.ok(result.kieTaskId, JSON.stringify(result));
    assert.notEqual(result.state, 'completed', 'it does not wait for the video');
    assert.equal(await creates(sim), before + 1);
    const id = String(result.id);
    let done: Record<string, unknown> = {};
    for (let i = 0; i < 600 && done.state !== 'completed'; i++) {
      done = resultJson(await vscode.lm.invokeTool('get_video_task', { input: { id }, toolInvocationToken: undefined }));
      if (done.state !== 'completed') await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(done.state, 'completed', JSON.stringify(done));
    assert.equal(path.dirname(String(done.file)), path.join(workspaceRoot(), 'videos'));
    assert.ok((await fs.stat(String(done.file))).size > 1000);
    assert.equal(api.tasks().find((t) => t.id === id)?.origin?.kind, 'agent');
  });

  it('generate_video sends nothing for a request the model cannot take', async () => {
    const before = await creates(sim);
    const result = resultJson(await vscode.lm.invokeTool('generate_video', { input: { prompt: 'x', model: 'veo3_fast', duration: 5 }, toolInvocationToken: undefined }));
    assert.ok(Array.isArray(result.problems) && (result.problems as string[]).some((p) => /duration/.test(p)));
    assert.equal(await creates(sim), before);
  });
});

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SoraApi } from '../../src/extension';
import { eventually } from './eventually';
import { SimulatorControl } from './simulatorControl';
import { request, soraApi, taskWhen } from './soraExtension';

describe('the API key', () => {
  const sim = SimulatorControl.fromEnvironment();
  // A key Kie (the simulator) does not know; the launcher checks afterwards that no log contains it.
  const wrongKey = process.env.SORA_TEST_SECRET ?? 'sora-integration-wrong-key';
  let api: SoraApi;

  before(async () => {
    api = await soraApi();
  });

  after(async () => {
    await vscode.commands.executeCommand('sora.clearApiKey', { confirm: false });
  });

  it('comes from KIE_API_KEY when none is stored', async () => {
    assert.equal(process.env.KIE_API_KEY !== undefined, true, 'the launcher provides KIE_API_KEY');
    assert.equal(await api.hasApiKey(), true);
  });

  it('Set API Key stores a key that then authenticates every request', async () => {
    await vscode.commands.executeCommand('sora.setApiKey', wrongKey);
    assert.equal(await api.hasApiKey(), true);
    await eventually('the saved confirmation', () => api.recentMessages().some((m) => m.text.includes('API key saved')));

    await assert.rejects(api.generate(request('Rejected key', 'veo3_fast')), (e: Error & { kind?: string }) => e.kind === 'unauthorized');
    const create = (await sim.requests()).filter((r) => r.path.endsWith('/api/v1/veo/generate')).at(-1);
    assert.equal(create?.auth, 'invalid', 'the stored key, not the environment\'s, was sent');
    await eventually('a rejected-key error offering Set API Key', () =>
      api.recentMessages().some((m) => m.severity === 'error' && m.text.includes('rejected the API key') && m.actions.includes('Set API Key')),
    );
  });

  it('never shows the key in a message', () => {
    assert.equal(JSON.stringify(api.recentMessages()).includes(wrongKey), false);
  });

  it('Clear API Key falls back to KIE_API_KEY, which works again', async () => {
    await vscode.commands.executeCommand('sora.clearApiKey', { confirm: false });
    assert.equal(await api.hasApiKey(), true, 'KIE_API_KEY still provides a key');
    await eventually('the cleared message mentioning the environment', () =>
      api.recentMessages().some((m) => m.text.includes('cleared') && m.text.includes('KIE_API_KEY')),
    );
    const submitted = await api.generate(request('Accepted key again', 'veo3_fast'));
    await taskWhen(api, submitted.id, 'completed', (t) => t.state === 'completed');
    const create = (await sim.requests()).filter((r) => r.path.endsWith('/api/v1/veo/generate')).at(-1);
    assert.equal(create?.auth, 'valid');
  });
});

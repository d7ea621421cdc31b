import * as assert from 'node:assert/strict';
import type { SoraApi } from '../../src/extension';
import { eventually } from './eventually';
import { SimulatorControl } from './simulatorControl';
import { request, messagesSince, soraApi, type ShownMessage } from './soraExtension';

describe('errors Kie reports reach the user with a way out', () => {
  const sim = SimulatorControl.fromEnvironment();
  let api: SoraApi;

  before(async () => {
    api = await soraApi();
  });

  /** Generates once with `path` failing as `code`; returns the new error notification. */
  async function failCreate(path: string, code: 401 | 402, httpStatus: number, model: string): Promise<ShownMessage> {
    const snapshot = api.recentMessages();
    await sim.failNext(path, { kind: 'code', code, httpStatus });
    await assert.rejects(api.generate(request(`Forced ${code}`, model)));
    return eventually(`an error notification after ${code}`, () => messagesSince(api, snapshot).find((m) => m.severity === 'error'));
  }

  it('402 (credits): says the credits are not enough and offers Top Up', async () => {
    const shown = await failCreate('/api/v1/veo/generate', 402, 200, 'veo3_fast');
    assert.match(shown.text, /credits are not enough/);
    assert.ok(shown.actions.includes('Top Up'), `actions: ${shown.actions.join(', ')}`);
  });

  it('401 in an HTTP 200 body (as Kie was seen to answer): offers Set API Key', async () => {
    const shown = await failCreate('/api/v1/jobs/createTask', 401, 200, 'kling-3.0/video');
    assert.match(shown.text, /rejected the API key/);
    assert.ok(shown.actions.includes('Set API Key'), `actions: ${shown.actions.join(', ')}`);
  });

  it('401 as a real HTTP 401: the same message', async () => {
    const shown = await failCreate('/api/v1/veo/generate', 401, 401, 'veo3_fast');
    assert.match(shown.text, /rejected the API key/);
    assert.ok(shown.actions.includes('Set API Key'));
  });

  it('no message contains the key', () => {
    assert.equal(JSON.stringify(api.recentMessages()).includes(process.env.KIE_API_KEY ?? '\u0000'), false);
  });
});

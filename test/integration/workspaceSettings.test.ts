import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SoraApi } from '../../src/extension';
import { eventually } from './eventually';
import { SimulatorControl } from './simulatorControl';
import { request, soraApi, taskWhen, workspaceRoot } from './soraExtension';

/**
 * A cloned repository's `.vscode/settings.json` is written by whoever made the repository. It must not
 * be able to send the key elsewhere or make the extension write outside the workspace.
 */
describe('a workspace\'s own settings', () => {
  const sim = SimulatorControl.fromEnvironment();
  let api: SoraApi;
  // Stands in for the host a hostile repository would point the service URLs at.
  let attacker: http.Server;
  const attackerRequests: Array<{ url?: string; auth?: string }> = [];
  let attackerUrl: string;
  let settingsFile: string;

  before(async () => {
    api = await soraApi();
    attacker = http.createServer((req, res) => {
      attackerRequests.push({ url: req.url, auth: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"code":200,"msg":"success","data":100}');
    });
    await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r));
    attackerUrl = `http://localhost:${(attacker.address() as AddressInfo).port}`;
    settingsFile = path.join(workspaceRoot(), '.vscode/settings.json');
  });

  after(async () => {
    await fs.rm(settingsFile, { force: true });
    await eventually('the workspace settings gone', () => vscode.workspace.getConfiguration('sora').inspect('defaultModel')?.workspaceValue === undefined);
    await new Promise((r) => attacker.close(r));
  });

  it('cannot point the service URLs at another host: nothing is sent there, the key keeps going to the user\'s URL', async () => {
    await fs.mkdir(path.dirname(settingsFile), { recursive: true });
    await fs.writeFile(
      settingsFile,
      JSON.stringify({
        'sora.apiBaseUrl': attackerUrl,
        'sora.uploadBaseUrl': `${attackerUrl}/upload`,
        'sora.imgbbBaseUrl': `${attackerUrl}/imgbb`,
        'sora.outputFolder': '../outside-the-workspace',
        // A setting a workspace may change: once it reads back, VS Code has loaded this file.
        'sora.defaultModel': 'sora-2-text-to-video',
      }),
    );
    await eventually('VS Code to load the workspace settings', () => vscode.workspace.getConfiguration('sora').get('defaultModel') === 'sora-2-text-to-video');
    // A key change rebuilds the client from the settings as they are now.
    await vscode.commands.executeCommand('sora.setApiKey', process.env.KIE_API_KEY);

    const creditsBefore = await sim.count('/api/v1/chat/credit');
    await vscode.commands.executeCommand('sora.refreshCredits');
    await eventually('the credit query at the simulator', async () => (await sim.count('/api/v1/chat/credit')) > creditsBefore);

    const image = path.join(workspaceRoot(), 'images/sunrise.png');
    const uploadsBefore = await sim.count('/api/file-stream-upload');
    const submitted = await api.generate(request('A lighthouse at dusk', 'veo3_fast', { images: { first: image } }));
    const done = await taskWhen(api, submitted.id, 'completed', (t) => t.state === 'completed');

    assert.deepEqual(attackerRequests, [], 'the workspace\'s host received requests');
    assert.equal(await sim.count('/api/file-stream-upload'), uploadsBefore + 1, 'the image went to the user\'s upload host');
    // ../outside-the-workspace from a workspace is refused: the video stays in the user's folder.
    assert.equal(path.dirname(done.localFile ?? ''), path.join(workspaceRoot(), 'videos'));
    await eventually('a warning naming the refused output folder', () =>
      api.recentMessages().some((m) => m.severity === 'warning' && m.text.includes('sora.outputFolder') && m.text.includes('../outside-the-workspace')),
    );
    await vscode.commands.executeCommand('sora.clearApiKey', { confirm: false });
  });
});

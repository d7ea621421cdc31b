import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as vscode from 'vscode';
import type { SoraApi } from '../../src/extension';
import { eventually } from './eventually';
import { soraApi } from './soraExtension';

/**
 * A service URL the user set to a host that is neither Kie's nor loopback gets a question before the
 * key goes there. Test runs refuse modal dialogs, which must count as "no": nothing may be sent.
 */
describe('sending the key to another host', () => {
  let api: SoraApi;
  let server: net.Server;
  let connections = 0;
  let original: string | undefined;

  before(async () => {
    api = await soraApi();
    // Counts TCP connections, so even a TLS handshake carrying nothing yet would show.
    server = net.createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    original = vscode.workspace.getConfiguration('sora').inspect<string>('apiBaseUrl')?.globalValue;
  });

  after(async () => {
    await vscode.workspace.getConfiguration('sora').update('apiBaseUrl', original, vscode.ConfigurationTarget.Global);
    await new Promise((r) => server.close(r));
  });

  it('asks first, and a refused question sends nothing', async () => {
    // An IPv4-mapped address reaches this machine, but is not one of the loopback names allowed without asking.
    const port = (server.address() as net.AddressInfo).port;
    const url = `https://[::ffff:127.0.0.1]:${port}`;
    const origin = new URL(url).origin;
    await vscode.workspace.getConfiguration('sora').update('apiBaseUrl', url, vscode.ConfigurationTarget.Global);
    void vscode.commands.executeCommand('sora.refreshCredits');
    await eventually('the question naming the host', () => api.recentMessages().some((m) => m.text.includes(`Send your API key to ${origin}`)));
    await eventually('the message that the key was not sent', () => api.recentMessages().some((m) => m.text.includes(`Your API key was not sent to ${origin}`)));
    assert.equal(connections, 0);
  });
});

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SoraApi } from '../../src/extension';
import { eventually } from './eventually';
import { soraApi, webviewTabs, workspaceRoot } from './soraExtension';

describe('the generate form', () => {
  let api: SoraApi;

  before(async () => {
    api = await soraApi();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Generate Video opens it, and running it again reveals the same one', async () => {
    await vscode.commands.executeCommand('sora.generateVideo');
    await eventually('the form tab', () => webviewTabs('sora.generate').length === 1);
    await vscode.commands.executeCommand('sora.generateVideo', { prompt: 'Preset from a command argument' });
    await eventually('the form still in one tab, active, with the preset', () => {
      const tabs = webviewTabs('sora.generate');
      return tabs.length === 1 && tabs[0].isActive && api.formRequest()?.prompt === 'Preset from a command argument';
    });
  });

  it('Generate Video from Image opens on Veo 3.1 Fast the first time, with the image as the first frame', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const image = path.join(workspaceRoot(), 'images/sunrise.png');
    await vscode.commands.executeCommand('sora.generateVideoFromImage', vscode.Uri.file(image));
    await eventually('the form tab', () => webviewTabs('sora.generate').length === 1);
    const request = await eventually('the image in the first-frame slot', () => (api.formRequest()?.images?.first ? api.formRequest() : undefined));
    assert.equal(request.model, 'veo3_fast');
    assert.equal(request.images?.first, image);
  });

  it('a Sora-era request opens on the closest live model with prompt, image, aspect ratio and duration carried over', async () => {
    const image = path.join(workspaceRoot(), 'images/sunrise.png');
    await vscode.commands.executeCommand('sora.generateVideo', {
      model: 'sora-2-pro-image-to-video',
      prompt: 'The sun rises over the hills',
      aspectRatio: 'portrait',
      duration: '15',
      size: 'high',
      removeWatermark: true,
      images: { first: image },
    });
    const request = await eventually('the form moved to Veo 3.1 Quality', () => {
      const r = api.formRequest();
      return r?.model === 'veo3' && r.images?.first ? r : undefined;
    });
    assert.equal(request.prompt, 'The sun rises over the hills');
    assert.equal(request.aspect, '9:16');
    assert.equal(request.duration, 8, "Sora's 15 s becomes Veo's longest, 8 s");
    assert.equal(request.images?.first, image);
    assert.equal(request.options, undefined, "Sora's own size and watermark options do not reach Veo");
  });
});

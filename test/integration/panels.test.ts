import * as path from 'node:path';
import * as vscode from 'vscode';
import { eventually } from './eventually';
import { soraApi, webviewTabs, workspaceRoot } from './soraExtension';

describe('the generate form', () => {
  before(async () => {
    await soraApi();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Generate Video opens it, and running it again reveals the same one', async () => {
    await vscode.commands.executeCommand('sora.generateVideo');
    await eventually('the form tab', () => webviewTabs('sora.generate').length === 1);
    await vscode.commands.executeCommand('sora.generateVideo', { prompt: 'Preset from a command argument' });
    await eventually('the form still in one tab, active', () => {
      const tabs = webviewTabs('sora.generate');
      return tabs.length === 1 && tabs[0].isActive;
    });
  });

  it('Generate Video from Image takes the image as an argument instead of asking for one', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const image = vscode.Uri.file(path.join(workspaceRoot(), 'images/sunrise.png'));
    await vscode.commands.executeCommand('sora.generateVideoFromImage', image);
    await eventually('the form tab', () => webviewTabs('sora.generate').length === 1);
  });
});

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('workbench', () => {
  it('opens the workspace the launcher prepared', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1);
    assert.ok(vscode.workspace.getConfiguration('sora').get<string>('apiBaseUrl')?.startsWith('http://127.0.0.1:'));
  });
});

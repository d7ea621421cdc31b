import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extension, soraApi } from './soraExtension';

interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}

/** The command ids the design makes public (docs, keybindings and other extensions rely on them). */
const PUBLIC_COMMANDS = [
  'sora.generateVideo',
  'sora.generateVideoFromImage',
  'sora.setApiKey',
  'sora.clearApiKey',
  'sora.showTasks',
  'sora.cancelTask',
  'sora.openVideo',
];

describe('manifest and code agree', () => {
  let contributed: ContributedCommand[];
  let registered: string[];

  before(async () => {
    await soraApi();
    contributed = (extension().packageJSON as { contributes: { commands: ContributedCommand[] } }).contributes.commands;
    registered = await vscode.commands.getCommands(true);
  });

  it('registers every command package.json contributes', () => {
    const missing = contributed.map((c) => c.command).filter((id) => !registered.includes(id));
    assert.deepEqual(missing, []);
  });

  it('contributes a title for every sora.* command it registers', () => {
    const titled = new Set(contributed.filter((c) => c.title.trim()).map((c) => c.command));
    // VS Code itself registers `<viewId>.focus`, `<viewId>.open`… for every contributed view.
    const views = Object.values((extension().packageJSON as { contributes: { views?: Record<string, { id: string }[]> } }).contributes.views ?? {})
      .flat()
      .map((v) => `${v.id}.`);
    const untitled = registered.filter((id) => id.startsWith('sora.') && !titled.has(id) && !views.some((v) => id.startsWith(v)));
    assert.deepEqual(untitled, []);
  });

  it('shows localized titles, not placeholders', () => {
    const unresolved = contributed.filter((c) => /^%.*%$/.test(c.title) || (c.category !== undefined && /^%.*%$/.test(c.category)));
    assert.deepEqual(unresolved, []);
  });

  it('keeps the public command ids', () => {
    for (const id of PUBLIC_COMMANDS) {
      assert.ok(contributed.some((c) => c.command === id), `${id} is not contributed`);
      assert.ok(registered.includes(id), `${id} is not registered`);
    }
  });
});

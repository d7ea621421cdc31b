import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { eventually } from './eventually';
import { extension, soraApi, webviewTabs } from './soraExtension';

interface WalkthroughStep {
  id: string;
  title: string;
  description: string;
  completionEvents?: string[];
}
interface Walkthrough {
  id: string;
  steps: WalkthroughStep[];
}

/** The step text as the user reads it: `%key%` resolved from the extension's own package.nls.json. */
function resolvedText(value: string): string {
  const nls = JSON.parse(readFileSync(path.join(extension().extensionPath, 'package.nls.json'), 'utf8')) as Record<string, string>;
  return value.replace(/^%(.+)%$/, (_, key: string) => nls[key] ?? value);
}

/** Commands the walkthrough's buttons and completion events name. */
function walkthroughCommands(w: Walkthrough): string[] {
  const ids = new Set<string>();
  for (const step of w.steps) {
    for (const m of resolvedText(step.description).matchAll(/\(command:([\w.]+)/g)) ids.add(m[1]);
    for (const e of step.completionEvents ?? []) if (e.startsWith('onCommand:')) ids.add(e.slice('onCommand:'.length));
  }
  return [...ids].sort();
}

describe('the Get Started walkthrough', () => {
  let walkthrough: Walkthrough;

  before(async () => {
    await soraApi();
    const contributed = (extension().packageJSON as { contributes: { walkthroughs?: Walkthrough[] } }).contributes.walkthroughs ?? [];
    assert.equal(contributed.length, 1);
    walkthrough = contributed[0];
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await vscode.commands.executeCommand('sora.clearApiKey', { confirm: false });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens from the command VS Code offers for it', async () => {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${extension().id}#${walkthrough.id}`, false);
    // The walkthrough opens inside the Welcome editor (the tab's label is "Welcome").
    await eventually('the Welcome editor with the walkthrough', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === 'Welcome'),
    );
  });

  it('names only commands the extension registers', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const named = walkthroughCommands(walkthrough);
    assert.ok(named.includes('sora.setApiKey') && named.includes('sora.generateVideo'), named.join(', '));
    assert.deepEqual(named.filter((id) => !registered.has(id)), []);
  });

  it('its Set API Key button stores a key', async () => {
    const api = await soraApi();
    const last = () => api.recentMessages().at(-1)?.text ?? '';
    // The button runs the command with no argument (a password box); automation passes the key instead.
    // An empty key first, so the confirmation that follows is this test's own.
    await vscode.commands.executeCommand('sora.setApiKey', ' ');
    await eventually('the empty key refused', () => last().includes('cannot be empty'));
    await vscode.commands.executeCommand('sora.setApiKey', process.env.KIE_API_KEY);
    await eventually('the "API key saved" confirmation', () => last().includes('API key saved'));
    assert.equal(await api.hasApiKey(), true);
  });

  it('its Generate Video button opens the form', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('sora.generateVideo');
    await eventually('the form tab', () => webviewTabs('sora.generate').length === 1);
  });
});

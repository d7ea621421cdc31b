import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TaskRecord } from '../../src/core/tasks/task';
import type { GenerationRequest } from '../../src/core/models/spec';
import type { SoraApi } from '../../src/extension';
import { eventually } from './eventually';

export const EXTENSION_ID = 'sora-video.sora-video';

export function extension(): vscode.Extension<SoraApi> {
  const ext = vscode.extensions.getExtension<SoraApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded`);
  return ext;
}

/** The extension's public API (activating it if nothing has yet). */
export function soraApi(): Promise<SoraApi> {
  return Promise.resolve(extension().activate());
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return folder.uri.fsPath;
}

/** The MP4 the simulator serves as every result. */
export function fixtureVideo(): Promise<Buffer> {
  return fs.readFile(path.join(extension().extensionPath, 'src/simulator/fixtures/sample.mp4'));
}

/** A request as the form would send it: the model's defaults fill everything not given. */
export function request(prompt: string, model: string, overrides: Partial<GenerationRequest> = {}): { request: GenerationRequest } {
  return { request: { prompt, model, ...overrides } };
}

/** The task as the ledger now has it, once `done` holds for it. */
export function taskWhen(api: SoraApi, id: string, what: string, done: (t: TaskRecord) => boolean, limitMs?: number): Promise<TaskRecord> {
  return eventually(`task ${id} ${what}`, () => {
    const t = api.tasks().find((x) => x.id === id);
    if (t && (t.state === 'failed' || t.state === 'unknown') && !done(t)) throw new Error(`task ended ${t.state}: ${t.error?.message ?? ''}`);
    return t && done(t) ? t : undefined;
  }, limitMs);
}

/** Tabs holding a webview whose viewType contains `viewType` (VS Code prefixes it). */
export function webviewTabs(viewType: string): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes(viewType));
}

export type ShownMessage = ReturnType<SoraApi['recentMessages']>[number];

/**
 * Messages shown after `snapshot` was taken. recentMessages() keeps only the last ~50, so the older
 * end may have been dropped: the new ones follow the longest tail of the snapshot that starts the list now.
 */
export function messagesSince(api: SoraApi, snapshot: ShownMessage[]): ShownMessage[] {
  const now = api.recentMessages();
  const key = (ms: ShownMessage[]) => JSON.stringify(ms);
  for (let k = Math.min(snapshot.length, now.length); k > 0; k--) {
    if (key(snapshot.slice(snapshot.length - k)) === key(now.slice(0, k))) return now.slice(k);
  }
  return now;
}

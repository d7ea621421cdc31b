import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TARGET_FILE } from './activationTarget';
import { builtinsNewSince, loadedModules } from '../lib/builtinModules';

/**
 * A tests module (the @vscode/test-electron contract: exports `run()`) that measures, inside a real
 * extension host, how long `require(dist/extension.js)` and the `activate()` call take, and which modules
 * the bundle pulls in at each step. Run by bench/activation.ts through scripts/run-integration.mjs.
 */
const EXTENSION_ID = 'sora-video.sora-video';
export const PROBE_MARK = 'sora-bench-activation';
const RESULT_MARK = 'sora-integration-result';

export interface ActivationProbeResult {
  alreadyActive: boolean;
  bundle?: string;
  requireMs?: number;
  /** Synchronous part of activate(). */
  activateSyncMs?: number;
  /** Until the promise activate() returned settled (equals the sync part when it returns no promise). */
  activateMs?: number;
  /** `await extension.activate()` as seen through the API: VS Code's bookkeeping + activate(). */
  apiActivateMs?: number;
  /** Modules the bundle itself required (builtins, `vscode`, externals), in order. */
  requiredAtLoad: string[];
  requiredDuringActivate: string[];
  /** Node built-in modules first loaded in this process by each step. */
  builtinsNewAtLoad: string[];
  builtinsNewDuringActivate: string[];
  /** Time spent inside the bundle's own require() calls, per requested module (e.g. the `vscode` API). */
  requireCallMs: Record<string, number>;
  hostNode: string;
  vscodeVersion: string;
  error?: string;
}

type LoadFn = (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown;
interface ModuleInternals {
  _load: LoadFn;
  _cache: Record<string, { exports: unknown } | undefined>;
}
type ExtensionModule = { activate?: (ctx: vscode.ExtensionContext) => unknown } & Record<string, unknown>;

export async function run(): Promise<void> {
  const result: ActivationProbeResult = {
    alreadyActive: false,
    requiredAtLoad: [],
    requiredDuringActivate: [],
    builtinsNewAtLoad: [],
    builtinsNewDuringActivate: [],
    requireCallMs: {},
    hostNode: process.version,
    vscodeVersion: vscode.version,
  };
  try {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    if (!ext) throw new Error(`extension ${EXTENSION_ID} not found`);
    result.alreadyActive = ext.isActive;
    const main = path.join(ext.extensionPath, 'dist', 'extension.js');
    // The bench may name another bundle (the production build): it is loaded and handed to VS Code in
    // place of dist/extension.js, so the shipped code is what gets timed, with the real context.
    const target = fs.existsSync(TARGET_FILE) ? (JSON.parse(fs.readFileSync(TARGET_FILE, 'utf8')) as { bundle?: string }).bundle : undefined;
    const bundle = target ?? main;
    result.bundle = bundle;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Module = require('node:module') as unknown as ModuleInternals;
    let phase: 'load' | 'activate' | 'done' = 'load';
    const originalLoad = Module._load;
    Module._load = function (this: unknown, request, parent, isMain) {
      if (parent?.filename !== bundle) return originalLoad.call(this, request, parent, isMain);
      (phase === 'load' ? result.requiredAtLoad : result.requiredDuringActivate).push(request);
      const t = performance.now();
      try {
        return originalLoad.call(this, request, parent, isMain);
      } finally {
        result.requireCallMs[request] = (result.requireCallMs[request] ?? 0) + performance.now() - t;
      }
    };
    try {
      if (!result.alreadyActive) {
        const before = loadedModules();
        const t0 = performance.now();
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const mod = require(bundle) as ExtensionModule;
        result.requireMs = performance.now() - t0;
        result.builtinsNewAtLoad = builtinsNewSince(before);
        // VS Code requires dist/extension.js and gets this cached module: wrap its activate to time the call.
        const original = mod.activate;
        const cached = Module._cache[require.resolve(bundle)];
        if (cached && bundle !== main) Module._cache[require.resolve(main)] = cached;
        if (cached && typeof original === 'function') {
          cached.exports = {
            ...mod,
            activate: (ctx: vscode.ExtensionContext) => {
              const t = performance.now();
              const out = original(ctx);
              result.activateSyncMs = performance.now() - t;
              if (out instanceof Promise) {
                return out.finally(() => (result.activateMs = performance.now() - t));
              }
              result.activateMs = result.activateSyncMs;
              return out;
            },
          };
        }
        phase = 'activate';
        const beforeActivate = loadedModules();
        const t1 = performance.now();
        await ext.activate();
        result.apiActivateMs = performance.now() - t1;
        result.builtinsNewDuringActivate = builtinsNewSince(beforeActivate);
      }
    } finally {
      phase = 'done';
      Module._load = originalLoad;
    }
  } catch (e) {
    result.error = e instanceof Error ? (e.stack ?? e.message) : String(e);
  }
  result.requiredAtLoad = [...new Set(result.requiredAtLoad)];
  result.requiredDuringActivate = [...new Set(result.requiredDuringActivate)];
  console.log(`${PROBE_MARK} ${JSON.stringify(result)}`);
  console.log(`${RESULT_MARK} ${JSON.stringify({ passed: result.error ? 0 : 1, failed: result.error ? 1 : 0 })}`);
}

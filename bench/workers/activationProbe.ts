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
  /** Required in the 2 s after activate() settled (deferred work). */
  requiredAfterActivate: string[];
  /** Node built-in modules first loaded in this process by each step. */
  builtinsNewAtLoad: string[];
  builtinsNewDuringActivate: string[];
  /** Time spent inside the bundle's own require() calls, per requested module (e.g. the `vscode` API). */
  requireCallMs: Record<string, number>;
  hostNode: string;
  vscodeVersion: string;
  /** Where the seeded ledger was put (the real context's global storage) and its size. */
  ledgerPath?: string;
  ledgerBytes?: number;
  /** Seen while activate() ran (sync part and until its promise settled). */
  duringActivate: PathWatch;
  /** Seen in the 2 s after activate() settled: deferred work, not on the activation path. */
  afterActivate: PathWatch;
  error?: string;
}

export interface PathWatch {
  /** Sockets connected (net.Socket#connect: undici and node:http both go through it), as host:port. */
  connects: string[];
  /** Reads of the ledger file (fs.readFile, fs.readFileSync, fs.promises.readFile). */
  ledgerReads: number;
  /** JSON.parse calls on a string at least half the ledger's size. */
  bigParses: number;
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
    requiredAfterActivate: [],
    builtinsNewAtLoad: [],
    builtinsNewDuringActivate: [],
    requireCallMs: {},
    duringActivate: { connects: [], ledgerReads: 0, bigParses: 0 },
    afterActivate: { connects: [], ledgerReads: 0, bigParses: 0 },
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
    const target2 = fs.existsSync(TARGET_FILE) ? (JSON.parse(fs.readFileSync(TARGET_FILE, 'utf8')) as { ledger?: string }).ledger : undefined;
    let watch: PathWatch | undefined;
    const unwatch = watchPaths(() => watch, () => result.ledgerPath, () => result.ledgerBytes ?? Infinity);
    const originalLoad = Module._load;
    Module._load = function (this: unknown, request, parent, isMain) {
      if (parent?.filename !== bundle) return originalLoad.call(this, request, parent, isMain);
      (phase === 'load' ? result.requiredAtLoad : watch === result.duringActivate ? result.requiredDuringActivate : result.requiredAfterActivate).push(request);
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
              // A long-time user's ledger, put where this context's global storage is, before timing.
              if (target2) {
                fs.mkdirSync(ctx.globalStorageUri.fsPath, { recursive: true });
                result.ledgerPath = path.join(ctx.globalStorageUri.fsPath, 'tasks.json');
                fs.copyFileSync(target2, result.ledgerPath);
                result.ledgerBytes = fs.statSync(result.ledgerPath).size;
              }
              watch = result.duringActivate;
              const t = performance.now();
              const out = original(ctx);
              result.activateSyncMs = performance.now() - t;
              const after = (): void => {
                watch = result.afterActivate;
                setTimeout(() => (watch = undefined), 2000);
              };
              if (out instanceof Promise) {
                return out.finally(() => {
                  result.activateMs = performance.now() - t;
                  after();
                });
              }
              result.activateMs = result.activateSyncMs;
              after();
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
        await new Promise((resolve) => setTimeout(resolve, 2100));
      }
    } finally {
      phase = 'done';
      Module._load = originalLoad;
      unwatch();
    }
  } catch (e) {
    result.error = e instanceof Error ? (e.stack ?? e.message) : String(e);
  }
  result.requiredAtLoad = [...new Set(result.requiredAtLoad)];
  result.requiredDuringActivate = [...new Set(result.requiredDuringActivate)];
  result.requiredAfterActivate = [...new Set(result.requiredAfterActivate)];
  console.log(`${PROBE_MARK} ${JSON.stringify(result)}`);
  console.log(`${RESULT_MARK} ${JSON.stringify({ passed: result.error ? 0 : 1, failed: result.error ? 1 : 0 })}`);
}

/** Hooks socket connects, ledger reads and large JSON.parse calls while `current()` names a watch. */
function watchPaths(current: () => PathWatch | undefined, ledger: () => string | undefined, ledgerBytes: () => number): () => void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const net = require('node:net') as typeof import('node:net');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fsm = require('node:fs') as typeof import('node:fs');
  const proto = net.Socket.prototype as unknown as { connect: (...a: unknown[]) => unknown };
  const connect = proto.connect;
  proto.connect = function (this: unknown, ...args: unknown[]) {
    const w = current();
    if (w) {
      const a = args[0] as { host?: string; port?: number; path?: string } | number | unknown[];
      const o = Array.isArray(a) ? (a[0] as { host?: string; port?: number; path?: string }) : a;
      w.connects.push(typeof o === 'object' && o ? `${o.host ?? o.path ?? '?'}:${o.port ?? ''}` : String(o));
    }
    return connect.apply(this, args);
  };
  const isLedger = (p: unknown): boolean => {
    const l = ledger();
    return l !== undefined && (typeof p === 'string' || p instanceof URL) && path.resolve(String(p instanceof URL ? p.pathname : p)) === l;
  };
  const wrap = <T extends (...a: never[]) => unknown>(fn: T): T =>
    function (this: unknown, ...args: unknown[]) {
      const w = current();
      if (w && isLedger(args[0])) w.ledgerReads++;
      return (fn as unknown as (...a: unknown[]) => unknown).apply(this, args);
    } as unknown as T;
  const readFile = fsm.readFile;
  const readFileSync = fsm.readFileSync;
  const promisesReadFile = fsm.promises.readFile;
  fsm.readFile = wrap(readFile);
  fsm.readFileSync = wrap(readFileSync);
  fsm.promises.readFile = wrap(promisesReadFile);
  const parse = JSON.parse;
  JSON.parse = function (text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown) {
    const w = current();
    if (w && typeof text === 'string' && text.length >= ledgerBytes() / 2) w.bigParses++;
    return parse(text, reviver);
  };
  return () => {
    proto.connect = connect;
    fsm.readFile = readFile;
    fsm.readFileSync = readFileSync;
    fsm.promises.readFile = promisesReadFile;
    JSON.parse = parse;
  };
}

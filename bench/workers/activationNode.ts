import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runWorkerMain } from '../lib/workerMain';
import { builtinsNewSince, loadedModules } from '../lib/builtinModules';

/**
 * Times `require(dist/extension.js)` and `activate()` in plain Node, with `vscode` replaced by a stub
 * whose every member is a do-nothing function/object. A lower bound on the extension-host figure, and a
 * clean view of which modules the bundle loads at each step. Prints one JSON line.
 */
export interface NodeActivationResult {
  requireMs: number;
  activateMs: number;
  activateError?: string;
  requiredAtLoad: string[];
  requiredDuringActivate: string[];
  builtinsNewAtLoad: string[];
  builtinsNewDuringActivate: string[];
}

type LoadFn = (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown;

/** Values the extension reads as strings and hands to Node APIs (path.join etc.). */
const STRINGS: Record<string, string> = {
  version: '1.99.0',
  sessionId: 'bench-session',
  machineId: 'bench-machine',
  language: 'en',
  appName: 'Visual Studio Code',
  uriScheme: 'vscode',
};

function stub(name: string): unknown {
  const children = new Map<PropertyKey, unknown>();
  const target = function () {
    return undefined;
  };
  return new Proxy(target, {
    get(_t, prop) {
      if (prop === 'then') return undefined;
      if (prop === Symbol.toPrimitive) return () => name;
      if (prop === Symbol.iterator) return function* () {};
      if (typeof prop === 'string' && prop in STRINGS) return STRINGS[prop];
      if (!children.has(prop)) children.set(prop, stub(`${name}.${String(prop)}`));
      return children.get(prop);
    },
    set(_t, prop, value) {
      children.set(prop, value);
      return true;
    },
    apply: () => stub(`${name}()`),
    construct: () => stub(`new ${name}`) as object,
  });
}

/**
 * The top-level `vscode` namespace must list its members: esbuild's ESM interop copies own property names
 * of a required module, so a stub without them would look empty. The names come from @types/vscode.
 */
function vscodeNamespace(root: string): object {
  const dts = fs.readFileSync(path.join(root, 'node_modules', '@types', 'vscode', 'index.d.ts'), 'utf8');
  const names = [...new Set([...dts.matchAll(/^\s{1,4}export (?:namespace|class|enum|const|function|let) ([A-Za-z0-9_]+)/gm)].map((m) => m[1]))];
  // A plain object like the real API, so the interop copy costs what it costs in the host.
  return Object.fromEntries(names.map((name) => [name, stub(`vscode.${name}`)]));
}

function uri(fsPath: string): Record<string, unknown> {
  return { fsPath, path: fsPath, scheme: 'file', toString: () => `file://${fsPath}`, with: () => uri(fsPath) };
}

function memento(): Record<string, unknown> {
  const data = new Map<string, unknown>();
  return { get: (k: string, d?: unknown) => (data.has(k) ? data.get(k) : d), update: async (k: string, v: unknown) => void data.set(k, v), keys: () => [...data.keys()], setKeysForSync: () => undefined };
}

async function main(): Promise<void> {
  const bundle = path.resolve(process.argv[2] ?? '');
  /** The extension folder (package.json); the bundle may have been built elsewhere. */
  const root = path.resolve(process.argv[3] ?? path.join(path.dirname(bundle), '..'));
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'sora-bench-act-'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require('node:module') as unknown as { _load: LoadFn };
  const vscodeStub = vscodeNamespace(root);
  const result: NodeActivationResult = { requireMs: 0, activateMs: 0, requiredAtLoad: [], requiredDuringActivate: [], builtinsNewAtLoad: [], builtinsNewDuringActivate: [] };
  let phase: 'load' | 'activate' | 'done' = 'load';
  const originalLoad = Module._load;
  Module._load = function (this: unknown, request, parent, isMain) {
    if (parent?.filename === bundle && phase !== 'done') (phase === 'load' ? result.requiredAtLoad : result.requiredDuringActivate).push(request);
    if (request === 'vscode') return vscodeStub;
    return originalLoad.call(this, request, parent, isMain);
  };
  const context = {
    subscriptions: [] as unknown[],
    globalState: memento(),
    workspaceState: memento(),
    secrets: stub('secrets'),
    extensionUri: uri(root),
    extensionPath: root,
    globalStorageUri: uri(storage),
    storageUri: uri(storage),
    logUri: uri(storage),
    extensionMode: 1,
    extension: { id: 'sora-video.sora-video', extensionUri: uri(root), packageJSON: JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as unknown },
    environmentVariableCollection: stub('environmentVariableCollection'),
    asAbsolutePath: (p: string) => path.join(root, p),
  };
  const before = loadedModules();
  const t0 = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(bundle) as { activate: (ctx: unknown) => unknown };
  result.requireMs = performance.now() - t0;
  result.builtinsNewAtLoad = builtinsNewSince(before);
  phase = 'activate';
  const beforeActivate = loadedModules();
  const t1 = performance.now();
  try {
    await mod.activate(context);
  } catch (e) {
    result.activateError = e instanceof Error ? e.message : String(e);
  }
  result.activateMs = performance.now() - t1;
  result.builtinsNewDuringActivate = builtinsNewSince(beforeActivate);
  phase = 'done';
  result.requiredAtLoad = [...new Set(result.requiredAtLoad)];
  result.requiredDuringActivate = [...new Set(result.requiredDuringActivate)];
  console.log(JSON.stringify(result));
  fs.rmSync(storage, { recursive: true, force: true });
}

// Work the extension schedules after activation runs against the stub and may throw; only the figures matter.
process.on('unhandledRejection', () => undefined);
runWorkerMain(main);

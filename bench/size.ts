import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as esbuild from 'esbuild';
import { runCommand } from './lib/child';
import { atMost, kb, row, type FigureResult } from './lib/figure';
import { repoRoot } from './lib/paths';
import { buildProduction } from './lib/productionBuild';
import { runStandalone } from './lib/standalone';

const TITLE = '7. Bundle and package size';
const BUNDLE_LIMIT = 150 * 1024;
const VSIX_LIMIT = 300 * 1024;

/** The files `npm run package` feeds to vsce (everything else is excluded by .vscodeignore anyway). */
const PACKAGE_INPUTS = ['package.json', 'package.nls.json', 'package.nls.zh-cn.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'l10n', 'media'];

interface InputSize {
  name: string;
  bytes: number;
}

/** Bytes each input contributes to the extension bundle, largest first; node_modules folded per package. */
function topInputs(meta: esbuild.Metafile, byPackage: boolean): InputSize[] {
  const sizes = new Map<string, number>();
  for (const [file, out] of Object.entries(meta.outputs)) {
    if (!file.endsWith('/extension.js')) continue;
    for (const [input, info] of Object.entries(out.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const key = byPackage && m ? `${m[1]} (package)` : input;
      sizes.set(key, (sizes.get(key) ?? 0) + info.bytesInOutput);
    }
  }
  return [...sizes.entries()].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

function copyRecursive(from: string, to: string): void {
  if (!fs.existsSync(from)) return;
  fs.cpSync(from, to, { recursive: true });
}

/** Packages a copy of the extension with the production bundles, the same vsce command `npm run package` runs. */
async function packageVsix(work: string, bundleDir: string): Promise<{ vsix: string; note?: string }> {
  const stage = path.join(work, 'stage');
  fs.mkdirSync(stage, { recursive: true });
  for (const name of PACKAGE_INPUTS) copyRecursive(path.join(repoRoot, name), path.join(stage, name));
  copyRecursive(bundleDir, path.join(stage, 'dist'));
  // Fixtures must not ride along; copying the source tree lets .vscodeignore prove it keeps them out.
  copyRecursive(path.join(repoRoot, 'src'), path.join(stage, 'src'));
  const vsix = path.join(work, 'sora-video.vsix');
  const vsce = path.join(repoRoot, 'node_modules', '.bin', 'vsce');
  const base = ['package', '--no-dependencies', '-o', vsix];
  let res = await runCommand(vsce, base, { cwd: stage });
  let note: string | undefined;
  if (res.code !== 0) {
    // vsce asks interactively when package.json has no repository field; answer for it, and say so.
    res = await runCommand(vsce, [...base, '--allow-missing-repository', '--skip-license'], { cwd: stage });
    note = 'plain `vsce package` failed here (' + firstLine(res.stderr) + '); measured with --allow-missing-repository --skip-license';
    if (res.code !== 0) throw new Error(`vsce package failed: ${res.stderr || res.stdout}`);
  }
  return { vsix, note };
}

function firstLine(text: string): string {
  return text.trim().split('\n').find((l) => l.trim()) ?? 'no message';
}

async function vsixEntries(vsix: string): Promise<Array<{ name: string; bytes: number }>> {
  const res = await runCommand('unzip', ['-Z', '-l', vsix]);
  if (res.code !== 0) throw new Error(`unzip failed: ${res.stderr}`);
  const entries: Array<{ name: string; bytes: number }> = [];
  for (const line of res.stdout.split('\n')) {
    // zipinfo -l: perms version os size type csize method date time name
    const m = /^[-drwxl]{10}\s+\S+\s+\S+\s+(\d+)\s+\S+\s+(\d+)\s+\S+\s+\S+\s+\S+\s+(.+)$/.exec(line);
    if (m) entries.push({ name: m[3], bytes: Number(m[1]) });
  }
  return entries;
}

export async function measureSize(): Promise<FigureResult> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sora-bench-size-'));
  try {
    const bundleDir = path.join(work, 'dist');
    const meta = await buildProduction(bundleDir);
    const bundleBytes = fs.statSync(path.join(bundleDir, 'extension.js')).size;
    const webviewBytes = fs.existsSync(path.join(bundleDir, 'webview'))
      ? fs.readdirSync(path.join(bundleDir, 'webview')).reduce((n, f) => n + fs.statSync(path.join(bundleDir, 'webview', f)).size, 0)
      : 0;
    const vendorDir = path.join(bundleDir, 'vendor');
    const vendorFiles = fs.readdirSync(vendorDir).filter((f) => f.endsWith('.js'));
    const vendorBytes = vendorFiles.reduce((n, f) => n + fs.statSync(path.join(vendorDir, f)).size, 0);
    const { vsix, note } = await packageVsix(work, bundleDir);
    const vsixBytes = fs.statSync(vsix).size;
    const entries = await vsixEntries(vsix);
    const mp4s = entries.filter((e) => /\.mp4$/i.test(e.name));
    const packages = topInputs(meta, true).slice(0, 8);
    const files = topInputs(meta, false).slice(0, 8);
    const notes = [
      "Production build from esbuild.js's own build list (`builds(true)`: minified, no sourcemap, `vscode` external, undici and form-data split into dist/vendor/ and required on the first request) into a temp folder with an esbuild metafile; the .vsix is `vsce package --no-dependencies` of a staged copy of the package inputs (same files `npm run package` uses) so the shared dist/ is not rebuilt under other engineers.",
      `dist/vendor/ (${vendorFiles.join(', ')}) is loaded only when the first Kie request is made, never at activation.`,
      `Largest contributors to dist/extension.js (bytes in output, per package): ${packages.map((p) => `${p.name} ${kb(p.bytes)}`).join(', ')}.`,
      `Largest single inputs: ${files.map((p) => `${p.name} ${kb(p.bytes)}`).join(', ')}.`,
      `.vsix entries (${entries.length}): ${entries.map((e) => `${e.name} (${kb(e.bytes)})`).join(', ')}.`,
    ];
    if (note) notes.push(note);
    if (bundleBytes > BUNDLE_LIMIT) notes.push('Over the goal: the largest inputs above are where to look first.');
    return {
      title: TITLE,
      rows: [
        row('dist/extension.js (minified)', kb(bundleBytes), atMost(bundleBytes, BUNDLE_LIMIT, '≤ 150 KB')),
        row('dist/vendor/*.js (minified, loaded on the first request)', kb(vendorBytes)),
        row('dist/webview/*.js (minified)', kb(webviewBytes)),
        row('sora-video.vsix', kb(vsixBytes), atMost(vsixBytes, VSIX_LIMIT, '≤ 300 KB')),
        row('.mp4 files inside the .vsix', mp4s.length === 0 ? 'none' : mp4s.map((e) => e.name).join(', '), { text: 'none', pass: mp4s.length === 0 }),
      ],
      notes,
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

runStandalone(module, measureSize);

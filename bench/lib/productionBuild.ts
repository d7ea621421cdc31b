import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot } from './paths';

/**
 * Builds the shipped bundles with the options of esbuild.js's production build (minified, no sourcemap,
 * `vscode` external) into `outdir`, with a metafile. `alsoExternal` leaves more packages out of the
 * bundle: an experiment showing what loading them lazily from a separate file would save. A temp folder, so the shared dist/ (the development
 * build other engineers' tests run) is never swapped under them.
 */
export async function buildProduction(outdir: string, opts: { alsoExternal?: string[]; extensionOnly?: boolean } = {}): Promise<esbuild.Metafile> {
  const common: esbuild.BuildOptions = {
    bundle: true,
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'silent',
    metafile: true,
    absWorkingDir: repoRoot,
  };
  const ext = await esbuild.build({
    ...common,
    entryPoints: { extension: 'src/extension.ts' },
    outdir,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', ...(opts.alsoExternal ?? [])],
  });
  const webviewEntries = Object.fromEntries(
    [
      ['webview/generate', 'src/webview/generate/main.ts'],
      ['webview/player', 'src/webview/player/main.ts'],
    ].filter(([, src]) => fs.existsSync(path.join(repoRoot, src))),
  );
  if (!opts.extensionOnly && Object.keys(webviewEntries).length > 0) {
    await esbuild.build({ ...common, entryPoints: webviewEntries, outdir, platform: 'browser', format: 'iife', target: 'es2022' });
  }
  if (!ext.metafile) throw new Error('esbuild returned no metafile');
  return ext.metafile;
}

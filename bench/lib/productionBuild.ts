import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot } from './paths';

type BuildList = (production: boolean) => esbuild.BuildOptions[];

/**
 * Builds what the .vsix ships (extension, lazily loaded vendor bundles, webviews) with esbuild.js's own
 * production options into `outdir`, with a metafile, so the figures are of the real build (the MCP server
 * included: the .vsix ships it). A temp folder,
 * so the shared dist/ that tests run is never swapped under them. The simulator is not shipped.
 */
export async function buildProduction(outdir: string): Promise<esbuild.Metafile> {
  const { builds } = require(path.join(repoRoot, 'esbuild.js')) as { builds: BuildList };
  const shipped = builds(true).filter((b) => !Object.keys(b.entryPoints as Record<string, string>).includes('simulator'));
  if (!shipped.some((b) => Object.keys(b.entryPoints as Record<string, string>).includes('mcp'))) throw new Error('esbuild.js builds no dist/mcp.js: the .vsix would not be what ships');
  const merged: esbuild.Metafile = { inputs: {}, outputs: {} };
  for (const b of shipped) {
    const res = await esbuild.build({ ...b, outdir, metafile: true, logLevel: 'silent', absWorkingDir: repoRoot });
    if (!res.metafile) throw new Error('esbuild returned no metafile');
    Object.assign(merged.inputs, res.metafile.inputs);
    Object.assign(merged.outputs, res.metafile.outputs);
  }
  return merged;
}

// Bundles the extension host code (Node, CommonJS, `vscode` external), the MCP server, the standalone
// simulator and the webview scripts (browser, IIFE). One script so every bundle is built the same way.
const esbuild = require('esbuild');
const path = require('path');

// The HTTP stack is 90% of the host code by size and is needed only once a request is made. Bundled on
// its own and required lazily, it stays out of what VS Code parses at activation (about 20 ms saved).
// ajv (JSON-schema validation against Kie's live schemas) is needed only when a request is checked,
// yaml only when a prompt file is read or written.
const VENDOR = { undici: 'undici', 'form-data': 'form-data', ajv: 'ajv/dist/2020', yaml: 'yaml' };
const VENDOR_NAME = Object.fromEntries(Object.entries(VENDOR).map(([name, pkg]) => [pkg, name]));
const lazyVendor = {
  name: 'lazy-vendor',
  setup(build) {
    build.onResolve({ filter: /^(undici|form-data|ajv\/dist\/2020|yaml)$/ }, (args) => ({ path: `./vendor/${VENDOR_NAME[args.path]}.js`, external: true }));
  },
};

/** Every bundle the project ships or runs; the benchmarks build the same list (bench/lib/productionBuild.ts). */
function builds(production) {
  const common = {
    bundle: true,
    minify: production,
    sourcemap: production ? false : 'linked',
    sourcesContent: false,
    logLevel: 'warning',
    legalComments: 'none',
  };
  return [
    {
      ...common,
      entryPoints: { extension: 'src/extension.ts' },
      outdir: 'dist',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
      plugins: [lazyVendor],
    },
    {
      ...common,
      entryPoints: Object.fromEntries(Object.entries(VENDOR).map(([name, pkg]) => [`vendor/${name}`, path.relative(__dirname, require.resolve(pkg))])),
      outdir: 'dist',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
    },
    {
      ...common,
      entryPoints: { simulator: 'src/simulator/cli.ts' },
      outdir: 'dist',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
    },
    // The MCP server ships beside the extension in dist/, so it uses the same vendor bundles instead of
    // carrying a second copy of each.
    {
      ...common,
      entryPoints: { mcp: 'src/mcp/cli.ts' },
      outdir: 'dist',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      plugins: [lazyVendor],
    },
    {
      ...common,
      entryPoints: {
        'webview/generate': 'src/webview/generate/main.ts',
        'webview/player': 'src/webview/player/main.ts',
        'webview/compare': 'src/webview/compare/main.ts',
      },
      outdir: 'dist',
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
    },
  ];
}

async function main() {
  const production = process.argv.includes('--production');
  const list = builds(production);
  if (process.argv.includes('--watch')) {
    for (const b of list) await (await esbuild.context(b)).watch();
    console.log('esbuild: watching');
    return;
  }
  await Promise.all(list.map((b) => esbuild.build(b)));
}

module.exports = { builds };

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

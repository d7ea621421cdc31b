import type * as Yaml from 'yaml';

let lib: typeof Yaml | undefined;

/**
 * The YAML library, loaded on the first prompt file read or written: it is about a third of the
 * extension's bundle, and a window that never opens a `*.video.md` should not parse it at activation.
 * esbuild.js bundles it as `dist/vendor/yaml.js`.
 */
export function yaml(): typeof Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (lib ??= require('yaml') as typeof Yaml);
}

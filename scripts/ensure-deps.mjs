#!/usr/bin/env node
// Installs the dependencies (`npm ci`) when node_modules is missing or does not match package-lock.json,
// so the README's commands work on a fresh clone: `npm test` runs this first (pretest) and
// `npm run demo` calls it too. Uses nothing but Node's own modules, since it runs before any install.
//
// "Matches" compares package-lock.json with the copy npm writes into node_modules/.package-lock.json
// after an install: the same packages at the same versions. Comparing contents rather than file times
// keeps a fresh checkout (whose files are all newer than any install) from reinstalling for nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Why node_modules needs `npm ci`, or undefined when it matches the lock file. */
export function staleReason(root = repoRoot) {
  const installed = path.join(root, 'node_modules/.package-lock.json');
  if (!existsSync(path.join(root, 'node_modules'))) return 'node_modules is missing';
  if (!existsSync(installed)) return 'node_modules was not installed by npm';
  const want = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')).packages ?? {};
  const have = JSON.parse(readFileSync(installed, 'utf8')).packages ?? {};
  for (const [where, entry] of Object.entries(want)) {
    if (where === '' || entry.link) continue;
    const got = have[where];
    // Optional packages for other platforms (esbuild's binaries) are in the lock but never installed.
    if (!got && entry.optional) continue;
    if (!got || got.version !== entry.version) return `${where} is ${got ? got.version : 'missing'}, package-lock.json wants ${entry.version}`;
    if (!existsSync(path.join(root, where))) return `${where} is missing`;
  }
  for (const where of Object.keys(have)) {
    if (!(where in want)) return `${where} is installed but not in package-lock.json`;
  }
  return undefined;
}

/**
 * npm's run-script environment without its own variables: a nested npm would otherwise take the outer
 * one's settings (npm_config_*) and PATH entries for its own.
 */
export function cleanNpmEnv(env = process.env) {
  const clean = {};
  for (const [k, v] of Object.entries(env)) {
    if (/^npm_/i.test(k) && !/^npm_config_(registry|cafile|proxy|https_proxy)$/i.test(k)) continue;
    clean[k] = v;
  }
  const pathKey = Object.keys(clean).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  clean[pathKey] = (clean[pathKey] ?? '')
    .split(path.delimiter)
    .filter((p) => !/[\\/]node_modules[\\/]\.bin$/.test(p) && !/[\\/]node-gyp-bin$/.test(p))
    .join(path.delimiter);
  return clean;
}

export function ensureDeps(root = repoRoot) {
  const reason = staleReason(root);
  if (!reason) return false;
  const modules = path.join(root, 'node_modules');
  // A linked node_modules (a git worktree sharing another checkout's install) belongs to that checkout:
  // npm ci here would replace it under everyone who uses it.
  if (existsSync(modules) && lstatSync(modules).isSymbolicLink()) {
    console.error(`ensure-deps: ${reason}, but node_modules is a link to ${realpathSync(modules)}: run npm ci there, or remove the link`);
    process.exit(1);
  }
  console.log(`ensure-deps: ${reason}; running npm ci`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
    env: cleanNpmEnv(),
    shell: process.platform === 'win32',
  });
  if (r.status !== 0) {
    console.error(`ensure-deps: npm ci failed (${r.error?.message ?? `exit ${r.status}`}); run it yourself to see why`);
    process.exit(r.status || 1);
  }
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) ensureDeps();

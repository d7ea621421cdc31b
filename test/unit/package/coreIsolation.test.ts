import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');
const CORE = join(ROOT, 'src', 'core');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return name.endsWith('.ts') ? [p] : [];
  });
}

const VSCODE_IMPORT = /(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"]vscode['"]/;

describe('core isolation', () => {
  it('finds the core sources', () => {
    assert.ok(tsFiles(CORE).length > 5, `expected TypeScript files under ${CORE}`);
  });

  it('no file under src/core imports vscode', () => {
    const offenders = tsFiles(CORE).filter((f) => VSCODE_IMPORT.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));
    assert.deepEqual(offenders, [], `src/core must not depend on VS Code: ${offenders.join(', ')}`);
  });

  it('the check recognises every import form', () => {
    for (const line of ["import * as vscode from 'vscode';", 'import "vscode";', "const v = require('vscode');", "await import('vscode')"]) {
      assert.ok(VSCODE_IMPORT.test(line), line);
    }
    assert.ok(!VSCODE_IMPORT.test("import { x } from './vscodeish';"));
  });
});

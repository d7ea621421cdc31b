import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { l10nKeys, listSources, parseSource, placeholders, scanLeaks } from './l10nScan';

/**
 * Every word of ours a user reads is translated: no English written in the editor layer or the webviews
 * reaches a notification, a tree row, a quick pick, a dialog or a webview element, and each bundle has
 * every key with the English placeholders.
 */
const root = path.resolve(__dirname, '../../../..');
const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(root, file), 'utf8')) as Record<string, unknown>;
const sources = listSources(root);

describe('the localization scanner', () => {
  const leaksIn = (code: string, host = true) => scanLeaks([parseSource(host ? 'src/vscode/x.ts' : 'src/webview/x.ts', code, host)]).map((l) => l.text);

  it('finds English reaching each kind of sink', () => {
    const cases: Array<[string, boolean?]> = [
      ["vscode.window.showInformationMessage('Video ready');"],
      ["this.notifier.warn(`${state}: ${reason}`);"],
      ["function f(task) { item.description = task.error.message; }"],
      ["function f(err, md) { const row = (label, value) => { md.appendText(value); }; row(t('Reason'), err.detail); }"],
      ["vscode.window.showOpenDialog({ filters: { Images: ['png'] } });"],
      ["function f(task) { item.tooltip = new Date(task.createdAt).toLocaleString(); }"],
      ["function f(id) { item.description = findModel(id)?.label ?? id; }"],
      ["function f(id) { return t('{0} is gone', findModel(id)?.label); }"],
      ["vscode.window.showQuickPick(tasks.map((x) => ({ label: x.title, description: 'queued' })));"],
      ["progress.report({ message: `${phase} · ${elapsed}` });"],
      ["function fmt(s) { return `${s}s`; } function g() { item.description = fmt(3); }"],
      ["function f() { this.post({ type: 'image', error: 'That is not a file.' }); }"],
      ["h('span', { text: 'Credits', attrs: { title: s.refresh } });", false],
      ["h('button', { text: s.ok, attrs: { 'aria-label': 'Refresh' } });", false],
      ["el.textContent = `${label} ${suffix}`;", false],
      ["const key = note; t(key);"],
    ];
    for (const [code, host] of cases) assert.equal(leaksIn(code, host ?? true).length, 1, code);
  });

  it('lets translated text, icons, ids and the English log through', () => {
    const fine = [
      "vscode.window.showInformationMessage(t('Video ready: {0}', name), t('Open'));",
      "this.log.warn('Generate form: ignored an invalid message.');",
      "item.iconPath = new vscode.ThemeIcon('sync~spin'); item.text = '$(sync~spin)';",
      "item.command = { command: 'sora.openVideo', title: t('Open Video') };",
      "throw new KieError({ kind: 'unauthorized', message: 'No Kie API key is set.' });",
      "function short(p) { const cut = p.slice(0, 9); return `${cut}…`; } item.label = short(x);",
      "vscode.window.showOpenDialog({ filters: { [t('Images')]: ['png'] } });",
    ];
    for (const code of fine) assert.deepEqual(leaksIn(code), [], code);
  });
});

describe('localization coverage', () => {
  it('no user-visible text of the editor layer or the webviews skips l10n.t or the strings table', () => {
    const leaks = scanLeaks(sources).map((l) => `${l.file}:${l.line} [${l.sink}] ${l.text}\n    → ${l.why}`);
    assert.deepEqual(leaks, [], `\n${leaks.join('\n')}`);
  });

  const bundles = readdirSync(path.join(root, 'l10n')).filter((f) => /^bundle\.l10n\.[\w-]+\.json$/.test(f));

  it('has at least the Simplified Chinese bundle', () => {
    assert.ok(bundles.includes('bundle.l10n.zh-cn.json'), bundles.join(', '));
  });

  for (const bundle of bundles) {
    it(`${bundle} translates every l10n.t key, keeping its placeholders, and holds no stale key`, () => {
      const keys = l10nKeys(sources);
      const texts = readJson(`l10n/${bundle}`);
      const missing = [...keys].filter(([k]) => typeof texts[k] !== 'string' || (texts[k] as string).trim() === '').map(([k, at]) => `${at}: ${k}`);
      const stale = Object.keys(texts).filter((k) => !keys.has(k));
      const broken = [...keys.keys()].filter((k) => typeof texts[k] === 'string' && placeholders(texts[k] as string).join() !== placeholders(k).join());
      assert.deepEqual({ missing, stale, broken }, { missing: [], stale: [], broken: [] });
    });
  }

  const manifestBundles = readdirSync(root).filter((f) => /^package\.nls\.[\w-]+\.json$/.test(f));
  for (const nls of manifestBundles) {
    it(`${nls} has every manifest key of package.nls.json with its placeholders and command links`, () => {
      const en = readJson('package.nls.json');
      const other = readJson(nls);
      assert.deepEqual(Object.keys(other).sort(), Object.keys(en).sort());
      const marks = (s: string) => [...placeholders(s), ...[...s.matchAll(/\(command:[\w.]+\)|`[^`]+`/g)].map((m) => m[0]).filter((m) => m.startsWith('(command:'))];
      for (const [k, v] of Object.entries(en)) assert.deepEqual(marks(other[k] as string), marks(v as string), k);
    });
  }

  it('every enum setting describes its values through package.nls', () => {
    const manifest = readJson('package.json') as { contributes: { configuration: { properties: Record<string, { enum?: unknown[]; enumDescriptions?: string[]; markdownEnumDescriptions?: string[] }> } } };
    const en = readJson('package.nls.json');
    for (const [id, prop] of Object.entries(manifest.contributes.configuration.properties)) {
      if (!prop.enum) continue;
      const descriptions = prop.enumDescriptions ?? prop.markdownEnumDescriptions;
      assert.equal(descriptions?.length, prop.enum.length, `${id}: one description per value`);
      for (const d of descriptions) {
        const key = /^%(.+)%$/.exec(d)?.[1];
        assert.ok(key && typeof en[key] === 'string', `${id}: "${d}" is not a package.nls key`);
      }
    }
  });
});

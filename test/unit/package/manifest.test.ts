import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The manifest, its translations and the code must agree: a command without a title, a %key% without
 * text or an l10n string without a Chinese translation shows up as a raw id or English in the UI.
 */
const root = path.resolve(__dirname, '../../../..');
const readJson = (file: string): unknown => JSON.parse(readFileSync(path.join(root, file), 'utf8'));

interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    views: Record<string, { id: string }[]>;
    viewsWelcome: { view: string; contents: string }[];
    walkthroughs: {
      id: string;
      title: string;
      description: string;
      steps: { id: string; title: string; description: string; media: { image?: string; markdown?: string; altText?: string }; completionEvents?: string[] }[];
    }[];
  };
}
const manifest = readJson('package.json') as Manifest;
const manifestText = readFileSync(path.join(root, 'package.json'), 'utf8');

/** The extension layer, subfolders included (player/, compare/…). */
function sourceFiles(): string[] {
  const dir = path.join(root, 'src/vscode');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  return [path.join(root, 'src/extension.ts'), ...files.map((f) => path.join(dir, f))];
}

/** String literals passed to `l10n.t(...)` or to a `t(...)` translate parameter. */
function l10nStrings(source: string): string[] {
  const found: string[] = [];
  const re = /\bt\(\s*(?:'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\$]|\\.)*)`)/g;
  for (const m of source.matchAll(re)) {
    const raw = m[1] ?? m[2] ?? m[3];
    found.push(raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c)));
  }
  return found;
}

const placeholders = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();

describe('manifest and translations', () => {
  it('registers a handler for every contributed command and contributes every registered one', () => {
    const registered = new Set([...readFileSync(path.join(root, 'src/vscode/commands.ts'), 'utf8').matchAll(/^\s*'(sora\.[A-Za-z]+)':/gm)].map((m) => m[1]));
    const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
    assert.deepEqual([...registered].sort(), [...contributed].sort());
  });

  it('keeps the public command ids', () => {
    const ids = manifest.contributes.commands.map((c) => c.command);
    for (const id of ['sora.generateVideo', 'sora.generateVideoFromImage', 'sora.setApiKey', 'sora.clearApiKey', 'sora.showTasks', 'sora.cancelTask', 'sora.openVideo']) {
      assert.ok(ids.includes(id), id);
    }
  });

  it('menus name only contributed commands and views', () => {
    const ids = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
      for (const item of items) assert.ok(ids.has(item.command), `${menu}: ${item.command}`);
    }
    const views = new Set(Object.values(manifest.contributes.views).flat().map((v) => v.id));
    for (const w of manifest.contributes.viewsWelcome) assert.ok(views.has(w.view), w.view);
  });

  it('offers image-to-video in the Explorer for png/jpg/jpeg/webp in any letter case', () => {
    const item = manifest.contributes.menus['explorer/context'].find((m) => m.command === 'sora.generateVideoFromImage');
    const match = item?.when?.match(/resourceExtname =~ \/(.+)\/(\w*)/);
    assert.ok(match, item?.when);
    const re = new RegExp(match[1], match[2]);
    for (const ext of ['.png', '.JPG', '.jpeg', '.WebP']) assert.ok(re.test(ext), ext);
    for (const ext of ['.gif', '.png.txt', '.svg']) assert.ok(!re.test(ext), ext);
  });

  // A reload mid-task must pick up the paid task without the user opening anything, but never before
  // the window is ready: '*' would slow every startup.
  it('activates once startup finished, never eagerly', () => {
    assert.ok(manifest.activationEvents.includes('onStartupFinished'));
    assert.ok(!manifest.activationEvents.includes('*'));
  });

  for (const nls of ['package.nls.json', 'package.nls.zh-cn.json']) {
    it(`${nls} has text for every %key% in package.json and nothing else`, () => {
      const keys = new Set([...manifestText.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]));
      const texts = readJson(nls) as Record<string, string>;
      assert.deepEqual(Object.keys(texts).sort(), [...keys].sort());
      for (const [k, v] of Object.entries(texts)) assert.ok(typeof v === 'string' && v.trim(), k);
    });
  }

  it('the Chinese manifest text keeps the command links of the welcome view', () => {
    const en = readJson('package.nls.json') as Record<string, string>;
    const zh = readJson('package.nls.zh-cn.json') as Record<string, string>;
    const links = (s: string) => [...s.matchAll(/\(command:[\w.]+\)/g)].map((m) => m[0]);
    assert.deepEqual(links(zh['viewsWelcome.tasks']), links(en['viewsWelcome.tasks']));
  });

  it('the walkthrough: localized steps with media that exist, buttons and events naming contributed commands', () => {
    const ids = new Set(manifest.contributes.commands.map((c) => c.command));
    const en = readJson('package.nls.json') as Record<string, string>;
    const zh = readJson('package.nls.zh-cn.json') as Record<string, string>;
    const key = (v: string) => v.match(/^%(.+)%$/)?.[1];
    const links = (s: string) => [...s.matchAll(/\(command:([\w.]+)[^)]*\)/g)].map((m) => m[1]);
    assert.equal(manifest.contributes.walkthroughs.length, 1);
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.deepEqual(walkthrough.steps.map((s) => s.id), ['setKey', 'firstVideo', 'promptFiles', 'agents']);
    for (const text of [walkthrough.title, walkthrough.description]) assert.ok(key(text), `${text} is not localized`);
    for (const step of walkthrough.steps) {
      for (const text of [step.title, step.description, step.media.altText ?? '']) assert.ok(key(text), `${step.id}: ${text} is not localized`);
      const media = step.media.image ?? step.media.markdown;
      assert.ok(media && existsSync(path.join(root, media)), `${step.id}: media ${media}`);
      const description = key(step.description) ?? '';
      assert.deepEqual(links(zh[description]), links(en[description]), `${step.id}: the Chinese text keeps the buttons`);
      for (const id of links(en[description])) assert.ok(ids.has(id), `${step.id}: ${id} is not contributed`);
      for (const e of step.completionEvents ?? []) {
        if (e.startsWith('onCommand:')) assert.ok(ids.has(e.slice('onCommand:'.length)), `${step.id}: ${e}`);
        else assert.ok(['onStepSelected'].includes(e) || /^on(View|Link|Settings|Context):/.test(e), `${step.id}: ${e}`);
      }
    }
  });

  it('the l10n bundle translates every string of the extension layer, keeping its placeholders', () => {
    const bundle = readJson('l10n/bundle.l10n.zh-cn.json') as Record<string, unknown>;
    const missing: string[] = [];
    for (const file of sourceFiles()) {
      for (const s of l10nStrings(readFileSync(file, 'utf8'))) {
        const zh = bundle[s];
        if (typeof zh !== 'string') missing.push(`${path.basename(file)}: ${s}`);
        else assert.deepEqual(placeholders(zh), placeholders(s), s);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('the l10n bundle is a flat object of strings', () => {
    const bundle = readJson('l10n/bundle.l10n.zh-cn.json') as Record<string, unknown>;
    for (const [k, v] of Object.entries(bundle)) assert.equal(typeof v, 'string', k);
  });
});

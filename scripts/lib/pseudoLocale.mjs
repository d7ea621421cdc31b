// A pseudo-locale: every string of ours, in English, wrapped in ⟦…⟧ with its placeholders kept, so a
// screen can be read for text that skipped the bundles (anything of ours outside the marks).
// Generated at test time and never committed: a committed copy would go stale as strings change, and
// `l10n/**` is packaged, so it would ship to users.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './codeServer.mjs';

export const PSEUDO_LOCALE = 'qps-ploc';
export const OPEN = '⟦';
export const CLOSE = '⟧';

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const mark = (s) => `${OPEN}${s}${CLOSE}`;

/**
 * The pseudo bundles for the extension. The keys are the zh-cn bundle's: the unit test
 * `l10nCoverage` holds that set equal to the code's `l10n.t` keys, so no second extractor is needed.
 */
export function pseudoBundles() {
  const keys = Object.keys(readJson(path.join(repoRoot, 'l10n/bundle.l10n.zh-cn.json')));
  const nls = readJson(path.join(repoRoot, 'package.nls.json'));
  return {
    l10n: Object.fromEntries(keys.map((k) => [k, mark(k)])),
    // Manifest text keeps its markdown and command links inside the marks.
    nls: Object.fromEntries(Object.entries(nls).map(([k, v]) => [k, mark(v)])),
  };
}

/** Writes the pseudo bundles into an installed (unpacked) copy of the extension. */
export function addPseudoLocale(extensionDir, locale = PSEUDO_LOCALE) {
  const { l10n, nls } = pseudoBundles();
  writeFileSync(path.join(extensionDir, 'l10n', `bundle.l10n.${locale}.json`), JSON.stringify(l10n, null, 2));
  writeFileSync(path.join(extensionDir, `package.nls.${locale}.json`), JSON.stringify(nls, null, 2));
  return Object.keys(l10n).length;
}

/**
 * VS Code (and code-server) resolve a display language only when a language pack for it is installed;
 * otherwise the extension host runs in `en` and no extension bundle is read. This builds the smallest
 * pack for `locale` (no translations of VS Code's own text, which stays English) as a .vsix.
 */
export function buildLanguagePack(dir, locale = PSEUDO_LOCALE) {
  mkdirSync(path.join(dir, 'translations'), { recursive: true });
  writeFileSync(path.join(dir, 'translations/main.i18n.json'), JSON.stringify({ version: '1.0.0', contents: {} }));
  writeFileSync(path.join(dir, 'README.md'), 'Pseudo-locale pack for the localization end-to-end test.\n');
  writeFileSync(path.join(dir, 'LICENSE'), 'MIT\n');
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name: `pseudo-language-pack-${locale}`,
    displayName: `Pseudo language pack (${locale})`,
    description: 'Test-only language pack',
    publisher: 'sora-video-test',
    version: '0.0.1',
    license: 'MIT',
    repository: { type: 'git', url: 'https://example.invalid/none' },
    engines: { vscode: '^1.99.0' },
    categories: ['Language Packs'],
    contributes: {
      localizations: [{ languageId: locale, languageName: 'Pseudo', localizedLanguageName: 'Pseudo', translations: [{ id: 'vscode', path: './translations/main.i18n.json' }] }],
    },
  }, null, 2));
  const vsix = path.join(dir, `${locale}.vsix`);
  execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '-o', vsix], { cwd: dir, stdio: 'pipe' });
  return vsix;
}

/**
 * The server resolves a display language from `languagepacks.json` in its user data folder, which VS Code
 * writes only once it has noticed the pack, after the first start; written here so the first start uses it.
 */
export function registerLanguagePack(userDataDir, extensionsDir, locale = PSEUDO_LOCALE) {
  const folder = readdirSync(extensionsDir).find((d) => d.startsWith(`sora-video-test.pseudo-language-pack-${locale}-`));
  if (!folder) throw new Error(`the ${locale} language pack is not installed in ${extensionsDir}`);
  const id = `sora-video-test.pseudo-language-pack-${locale}`;
  writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify({
    [locale]: {
      hash: `pseudo${Date.now()}`,
      extensions: [{ extensionIdentifier: { id }, version: '0.0.1' }],
      translations: { vscode: path.join(extensionsDir, folder, 'translations/main.i18n.json') },
      label: 'Pseudo',
    },
  }));
}

/**
 * The words of ours a screen shows outside the marks. `exceptions` are texts that are not ours (the
 * prompt typed, file names and paths, ids); product names, units and the date's AM/PM (Intl has no
 * pseudo-locale and formats it as en-US) are left out too.
 */
export function unmarkedWords(text, exceptions = []) {
  let rest = text;
  for (const e of exceptions.filter(Boolean).sort((a, b) => b.length - a.length)) rest = rest.split(e).join(' ');
  // Innermost marks first: a localized sentence may hold localized pieces.
  for (let prev; prev !== rest; ) {
    prev = rest;
    rest = rest.replace(/⟦[^⟦⟧]*⟧/g, ' ');
  }
  rest = rest.replace(/\b(Sora(\s2(\sPro)?)?|Veo\s3\.1(\sFast|\sQuality|\sLite)?|Kie(\.ai)?|imgbb|API|ID|PNG|JPEG|WebP|MB|KB|AM|PM|Ctrl\+Enter)\b/g, ' ');
  return rest.match(/[A-Za-z]{2,}/g) ?? [];
}

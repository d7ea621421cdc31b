import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Translate } from '../../../src/vscode/presentation/translate';

const root = path.resolve(__dirname, '../../../..');

/** `vscode.l10n.t` as a user of `locale` gets it: the bundle's text, English when a key is missing. */
export function bundleTranslate(locale: string): Translate {
  const bundle = JSON.parse(readFileSync(path.join(root, `l10n/bundle.l10n.${locale}.json`), 'utf8')) as Record<string, string>;
  return (message, ...args) => (bundle[message] ?? message).replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] === undefined ? m : String(args[Number(i)])));
}

/** Latin-letter words that are not ours to translate: product and service names, units, formats. */
const NAMES = /\b(Sora|Veo|Kie|kie\.ai|Kie\.ai|imgbb|Pro|Fast|Quality|API|ID|PNG|JPEG|WebP|GIF|BMP|TIFF|PDF|SVG|XML|HEIC|AVIF|MB|KB|URL|HTTP|http|https|VS Code|OpenAI)\b/g;

/** The Latin-letter words left in a Chinese text once names and `exceptions` (file names, Kie's words) are removed. */
export function englishWords(text: string, exceptions: string[] = []): string[] {
  let rest = text;
  for (const e of exceptions) rest = rest.split(e).join(' ');
  return rest.replace(NAMES, ' ').match(/[A-Za-z]{2,}/g) ?? [];
}

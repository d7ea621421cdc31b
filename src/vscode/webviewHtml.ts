import { randomBytes } from 'crypto';
import type * as vscode from 'vscode';

export interface WebviewPageOptions {
  webview: Pick<vscode.Webview, 'cspSource' | 'asWebviewUri'>;
  extensionUri: vscode.Uri;
  /** Names the bundle `dist/webview/<name>.js` and the stylesheet `media/<name>.css`. */
  name: 'generate' | 'player' | 'compare';
  title: string;
  /** BCP 47 tag for `<html lang>`, normally `vscode.env.language`. */
  lang: string;
  /** Strings the script shows, already localized host-side. */
  strings: object;
}

/**
 * The HTML of a webview page. Everything the page runs comes from the extension's own files, under a
 * CSP that allows no inline code except the one nonce'd bundle, and the nonce is fresh per render so
 * an old page's nonce is worthless.
 */
export function webviewPage(opts: WebviewPageOptions): string {
  const { webview, extensionUri, name } = opts;
  const nonce = randomBytes(18).toString('base64');
  const resource = (...segments: string[]) =>
    webview.asWebviewUri(extensionUri.with({ path: [extensionUri.path.replace(/\/$/, ''), ...segments].join('/') })).toString();
  const src = webview.cspSource;
  const csp = [
    "default-src 'none'",
    `img-src ${src} data:`,
    `media-src ${src}`,
    `style-src ${src}`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${src}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${escapeAttribute(opts.lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(resource('media', 'common.css'))}">
<link rel="stylesheet" href="${escapeAttribute(resource('media', `${name}.css`))}">
<title>${escapeText(opts.title)}</title>
</head>
<body>
<main id="app"></main>
<script type="application/json" id="l10n">${jsonForScript(opts.strings)}</script>
<script nonce="${nonce}" src="${escapeAttribute(resource('dist', 'webview', `${name}.js`))}"></script>
</body>
</html>`;
}

/**
 * JSON that is safe inside a `<script>` element: `<` is escaped so `</script>` or `<!--` in a string
 * cannot end the element, and U+2028/U+2029 for older parsers. JSON.parse reads it back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeAttribute(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

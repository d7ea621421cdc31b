import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { jsonForScript, webviewPage, type WebviewPageOptions } from '../../../src/vscode/webviewHtml';

/** Just enough of vscode.Uri and vscode.Webview for the page builder, which only uses `with`, `path` and `asWebviewUri`. */
function fakeUri(path: string): vscode.Uri {
  return { path, with: (change: { path?: string }) => fakeUri(change.path ?? path), toString: () => `file://${path}` } as unknown as vscode.Uri;
}

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';

function options(strings: object = { hello: 'Hello' }): WebviewPageOptions {
  return {
    webview: {
      cspSource: CSP_SOURCE,
      asWebviewUri: (uri: vscode.Uri) => ({ toString: () => `${CSP_SOURCE}${uri.path}` }) as unknown as vscode.Uri,
    },
    extensionUri: fakeUri('/ext/sora/'),
    name: 'generate',
    title: 'Generate <Video>',
    lang: 'zh-cn',
    strings,
  };
}

function csp(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'page has a CSP meta tag');
  return m[1];
}

describe('webviewPage', () => {
  it('allows only the extension resources and one nonce-d script', () => {
    const html = webviewPage(options());
    const policy = csp(html);
    assert.match(policy, /^default-src 'none'; /);
    assert.ok(policy.includes(`; img-src ${CSP_SOURCE} data:; `), policy);
    assert.ok(policy.includes(`; style-src ${CSP_SOURCE}; `), policy);
    assert.ok(policy.includes(`; media-src ${CSP_SOURCE}; `), policy);
    assert.doesNotMatch(policy, /unsafe-(inline|eval)/);
    const nonce = /script-src 'nonce-([^']+)'/.exec(policy)?.[1];
    assert.ok(nonce && nonce.length >= 16);
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    const executable = scripts.filter((attrs) => !attrs.includes('type="application/json"'));
    assert.deepEqual(executable, [` nonce="${nonce}" src="${CSP_SOURCE}/ext/sora/dist/webview/generate.js"`]);
    assert.ok(html.includes(`href="${CSP_SOURCE}/ext/sora/media/generate.css"`));
    assert.ok(!/style="/.test(html), 'no inline style attributes');
  });

  it('uses a fresh nonce for every render', () => {
    const nonces = new Set(Array.from({ length: 20 }, () => /'nonce-([^']+)'/.exec(csp(webviewPage(options())))?.[1]));
    assert.equal(nonces.size, 20);
  });

  it('escapes the title and the language', () => {
    const html = webviewPage({ ...options(), lang: '"><script>x</script>' });
    assert.ok(html.includes('<title>Generate &lt;Video&gt;</title>'));
    assert.ok(!html.includes('"><script>x'));
  });

  it('embeds strings that cannot close the JSON block but read back unchanged', () => {
    const nasty = { a: '</script><script>alert(1)</script>', b: '<!-- x -->', c: 'Tom & Jerry \u2028 line' };
    const html = webviewPage(options(nasty));
    const block = /<script type="application\/json" id="l10n">([\s\S]*?)<\/script>/.exec(html);
    assert.ok(block);
    assert.deepEqual(JSON.parse(block[1]), nasty);
    assert.equal(html.match(/<\/script>/g)?.length, 2, 'only the page’s own two script elements close');
  });
});

describe('jsonForScript', () => {
  it('leaves no <, > or & characters', () => {
    const out = jsonForScript({ s: '<b>&</b>' });
    assert.doesNotMatch(out, /[<>&]/);
    assert.deepEqual(JSON.parse(out), { s: '<b>&</b>' });
  });
});

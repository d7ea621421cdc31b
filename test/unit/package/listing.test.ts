import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import { CLIENT_VERSION } from '../../../src/core/kie/kieClient';

/**
 * What the Marketplace and Open VSX show and install: the manifest's listing fields, the icon, the
 * files `vsce` puts into the .vsix, and the README's links and images (vsce rewrites relative ones
 * against the repository, so each must name a file that exists).
 */
const root = path.resolve(__dirname, '../../../..');
const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(root, file), 'utf8'));

interface Listing {
  name: string;
  publisher: string;
  version: string;
  displayName: string;
  description: string;
  icon: string;
  license: string;
  galleryBanner: { color: string; theme: string };
  repository: { type: string; url: string };
  bugs: { url: string };
  homepage: string;
  categories: string[];
  keywords: string[];
  engines: { vscode: string };
}
const manifest = readJson('package.json') as unknown as Listing;
const nls = readJson('package.nls.json') as Record<string, string>;
const resolved = (value: string) => value.replace(/^%(.+)%$/, (_, key: string) => nls[key] ?? value);

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  assert.equal(b.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', `${file} is not a PNG`);
  assert.equal(b.subarray(12, 16).toString('latin1'), 'IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** The entries of a zip archive (a .vsix), stored or deflated, read through its central directory. */
function readZip(file: string): Map<string, Buffer> {
  const zip = readFileSync(file);
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, `${file} is not a zip archive`);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const local = zip.readUInt32LE(at + 42);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataStart, dataStart + size);
    entries.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + skip;
  }
  return entries;
}

/** Packages the extension as `npm run package` does (from the current build) into a temp folder. */
async function buildVsix(): Promise<Map<string, Buffer>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sora-vsix-'));
  try {
    const vsix = path.join(dir, 'test.vsix');
    const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');
    await promisify(execFile)(process.execPath, [vsce, 'package', '--no-dependencies', '-o', vsix], { cwd: root, maxBuffer: 8 << 20 });
    return readZip(vsix);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `<Property Id="..." Value="..."/>` values and the other fields Open VSX reads from extension.vsixmanifest. */
function vsixManifestFields(xml: string) {
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const tag = (name: string) => unescape(xml.match(new RegExp(`<${name}[^>]*>([^<]*)</${name}>`))?.[1] ?? '');
  const identity = xml.match(/<Identity ([^>]*)\/>/)?.[1] ?? '';
  const attr = (s: string, name: string) => unescape(s.match(new RegExp(`${name}="([^"]*)"`))?.[1] ?? '');
  const properties = new Map([...xml.matchAll(/<Property Id="([^"]+)" Value="([^"]*)"/g)].map((m) => [m[1], unescape(m[2])]));
  const assets = new Map([...xml.matchAll(/<Asset Type="([^"]+)" Path="([^"]+)"/g)].map((m) => [m[1], unescape(m[2])]));
  return {
    id: attr(identity, 'Id'),
    publisher: attr(identity, 'Publisher'),
    version: attr(identity, 'Version'),
    displayName: tag('DisplayName'),
    description: tag('Description'),
    tags: tag('Tags').split(','),
    categories: tag('Categories').split(','),
    properties,
    assets,
  };
}

/** What the extension needs at run time, and the listing's own files. Anything else is a leak. */
const ALLOWED = [
  /^package\.json$/,
  /^package\.nls(\.[a-z-]+)?\.json$/,
  // vsce stores these three under its own names
  /^(readme|changelog)\.md$/,
  /^LICENSE\.txt$/,
  /^l10n\/bundle\.l10n\.[a-z-]+\.json$/,
  /^media\/[\w.-]+\.(css|svg|png|md|ttf)$/,
  /^media\/walkthrough\/[\w.-]+\.(md|svg|png)$/,
  /^dist\/extension\.js$/,
  /^dist\/mcp\.js$/,
  /^dist\/vendor\/[\w.-]+\.js$/,
  /^dist\/webview\/[\w.-]+\.js$/,
];

describe('Marketplace and Open VSX listing', () => {
  it('has the fields both registries show: icon, repository, bugs, homepage, banner, license', () => {
    assert.match(manifest.version, /^\d+\.\d+\.\d+$/);
    assert.equal(manifest.license, 'MIT');
    assert.ok(existsSync(path.join(root, 'LICENSE')));
    assert.equal(manifest.repository.type, 'git');
    assert.match(manifest.repository.url, /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\.git$/);
    const repo = manifest.repository.url.replace(/\.git$/, '');
    assert.equal(manifest.bugs.url, `${repo}/issues`);
    assert.ok(manifest.homepage.startsWith(repo), manifest.homepage);
    assert.match(manifest.galleryBanner.color, /^#[0-9a-f]{6}$/i);
    assert.ok(['dark', 'light'].includes(manifest.galleryBanner.theme));
    assert.equal(manifest.engines.vscode, '^1.99.0');
  });

  it('has a 128x128 PNG icon', () => {
    assert.match(manifest.icon, /\.png$/);
    assert.deepEqual(pngSize(path.join(root, manifest.icon)), { width: 128, height: 128 });
  });

  it('says what it does today: Kie.ai video models, Sora 2 no longer promised', () => {
    const name = resolved(manifest.displayName);
    const description = resolved(manifest.description);
    assert.ok(name && !name.startsWith('%'), manifest.displayName);
    assert.ok(description.length <= 300, 'the Marketplace cuts descriptions short');
    for (const model of ['Veo', 'Kling', 'Seedance']) assert.ok(description.includes(model), model);
    assert.ok(!/Sora 2/.test(description), 'Sora 2 is retired upstream');
  });

  it('is found under the words people search for, within the Marketplace limit of 30 keywords', () => {
    assert.ok(manifest.categories.includes('AI'));
    const keywords = manifest.keywords.map((k) => k.toLowerCase());
    for (const k of ['ai', 'video', 'veo', 'kling', 'seedance', 'kie']) assert.ok(keywords.includes(k), k);
    assert.ok(keywords.length <= 30);
    assert.equal(new Set(keywords).size, keywords.length, 'duplicate keywords');
  });

  it('sends the package version in its User-Agent', () => {
    assert.equal(CLIENT_VERSION, manifest.version);
  });

  describe('the .vsix', function () {
    // vsce loads its whole dependency tree and zips the package; on a busy 2-core CI machine that
    // takes a while.
    this.timeout(180_000);
    let files: Map<string, Buffer>;
    before(async () => {
      assert.ok(existsSync(path.join(root, 'dist/extension.js')), 'dist/extension.js is missing: run `npm run build` first');
      files = await buildVsix();
    });

    it('holds only what the extension needs', () => {
      const names = [...files.keys()].filter((f) => f.startsWith('extension/')).map((f) => f.slice('extension/'.length));
      const leaks = names.filter((f) => !ALLOWED.some((re) => re.test(f)));
      assert.deepEqual(leaks, [], 'files in the .vsix the extension does not need');
      for (const f of ['package.json', 'package.nls.json', 'package.nls.zh-cn.json', 'readme.md', 'changelog.md', 'LICENSE.txt', manifest.icon, 'dist/extension.js', 'l10n/bundle.l10n.zh-cn.json']) {
        assert.ok(names.some((n) => n.toLowerCase() === f.toLowerCase()), `${f} is not packaged`);
      }
      assert.ok(names.some((n) => n.startsWith('dist/webview/')), 'no webview scripts packaged');
    });

    it('passes the checks Open VSX runs on an upload (ExtensionValidator.validateMetadata)', () => {
      const xml = files.get('extension.vsixmanifest');
      assert.ok(xml, 'extension.vsixmanifest missing');
      const m = vsixManifestFields(xml.toString('utf8'));
      const issues: string[] = [];
      const name = /^[\w\-+$~]+$/;
      if (!name.test(m.id) || m.id.length > 255) issues.push(`extension name ${m.id}`);
      if (!name.test(m.publisher) || m.publisher.length > 255) issues.push(`namespace ${m.publisher}`);
      if (!/^[\p{L}\p{N}$+\-,.:;_]+$/u.test(m.version)) issues.push(`version ${m.version}`);
      // control, format, unassigned, private-use and separator characters are refused
      const bad = /[\p{Cc}\p{Cf}\p{Cn}\p{Co}\u2028\u2029]/u;
      const text: [string, string, number][] = [
        ['displayName', m.displayName, 255],
        ['description', m.description, 2048],
        ...m.tags.map((t): [string, string, number] => ['keywords', t, 255]),
        ...m.categories.map((c): [string, string, number] => ['categories', c, 255]),
        ['galleryBanner.color', m.properties.get('Microsoft.VisualStudio.Services.Branding.Color') ?? '', 16],
      ];
      for (const [field, value, limit] of text) {
        if (bad.test(value) || value.length > limit) issues.push(`${field}: ${JSON.stringify(value)}`);
      }
      for (const link of ['Learn', 'Source', 'Support']) {
        const url = (m.properties.get(`Microsoft.VisualStudio.Services.Links.${link}`) ?? '').replace(/^git\+/, '');
        if (!URL.canParse(url) || !new URL(url).host) issues.push(`link ${link}: ${url}`);
      }
      if (!['dark', 'light'].includes(m.properties.get('Microsoft.VisualStudio.Services.Branding.Theme') ?? '')) issues.push('galleryBanner.theme');
      assert.deepEqual(issues, []);
      // What both registries show: the resolved (not %key%) name and text, the icon, the license.
      assert.equal(m.displayName, resolved(manifest.displayName));
      assert.equal(m.description, resolved(manifest.description));
      assert.equal(m.version, manifest.version);
      const icon = m.assets.get('Microsoft.VisualStudio.Services.Icons.Default');
      assert.ok(icon && files.has(icon), `icon asset ${icon}`);
      assert.ok(m.assets.has('Microsoft.VisualStudio.Services.Content.License'), 'no license asset');
    });
  });

  it('README and docs link only to files that exist in the repository', () => {
    const docs = ['README.md', 'docs/testing.md', 'docs/architecture.md'];
    for (const doc of docs) {
      const text = readFileSync(path.join(root, doc), 'utf8');
      assert.ok(!/\.\.\/shared|planning repository/.test(text), `${doc} points outside the repository`);
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1];
        if (/^(https?:|mailto:|#|command:)/.test(target)) continue;
        const file = path.resolve(path.dirname(path.join(root, doc)), target.replace(/#.*$/, ''));
        assert.ok(file.startsWith(root) && existsSync(file), `${doc} links to ${target}, which does not exist`);
      }
    }
  });

  it('shows README screenshots that are real PNG files, in light and dark', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    assert.ok(images.some((i) => /-light\.png$/.test(i)) && images.some((i) => /-dark\.png$/.test(i)), images.join(', '));
    for (const image of images) {
      // vsce refuses SVG images in a README, and the Marketplace cannot show local paths it cannot rewrite.
      assert.match(image, /\.png$/);
      const { width, height } = pngSize(path.join(root, image));
      assert.ok(width >= 640 && height >= 400, `${image} is ${width}x${height}`);
    }
  });
});

import * as assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageCheckError, checkImageFile } from '../../../src/core/media/imageCheck';
import { imageProblemOf, presentError } from '../../../src/vscode/presentation/errorPresentation';
import { bundleTranslate, englishWords } from '../l10n/bundleTranslate';

/** What a Chinese user reads under the form's image field for each image the checks refuse. */
describe('refused images, in Chinese', () => {
  const zh = bundleTranslate('zh-cn');
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sora-image-l10n-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases: Array<[string, () => string, RegExp]> = [
    ['a GIF', () => file('anim.gif', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00', 'latin1')), /^anim\.gif 是 GIF 图片；/],
    ['a BMP named .png', () => file('fake.png', Buffer.concat([Buffer.from('BM'), Buffer.alloc(20)])), /^fake\.png 是 BMP 图片/],
    ['a PDF', () => file('doc.png', Buffer.from('%PDF-1.7 xxxxxxxxxx')), /PDF 文档/],
    ['an SVG', () => file('logo.png', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg">')), /SVG 或 XML 文件/],
    ['unknown bytes', () => file('notes.png', Buffer.from('just some text here')), /文件内容与这些格式均不符/],
    ['an empty file', () => file('empty.png', Buffer.alloc(0)), /^empty\.png 是空文件/],
    ['a folder', () => folder('pictures.png'), /^pictures\.png 不是文件/],
    ['an oversized file', () => file('big.png', Buffer.alloc(10 * 1024 * 1024 + 1)), /^big\.png 大小为 10\.0 MB，Kie 仅接受不超过 10 MB 的图片/],
  ];

  function file(name: string, bytes: Buffer): string {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
  }
  function folder(name: string): string {
    const p = join(dir, name);
    mkdirSync(p, { recursive: true });
    return p;
  }

  for (const [what, make, expected] of cases) {
    it(`says why ${what} is refused without an English word`, async () => {
      const path = make();
      const err = await checkImageFile(path).then(
        () => assert.fail('expected a refusal'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof ImageCheckError);
      const text = presentError({ kind: err.kind, message: err.message, field: err.field, image: imageProblemOf(err) }, zh).text;
      assert.match(text, expected);
      const name = path.split(/[\\/]/).pop() ?? '';
      assert.deepEqual(englishWords(text, [name]), [], text);
    });
  }

  it('keeps the system\'s reason for an unreadable file, inside a Chinese sentence', async () => {
    const err = await checkImageFile(join(dir, 'missing.png')).catch((e: unknown) => e);
    assert.ok(err instanceof ImageCheckError && err.problem.reason === 'unreadable');
    const text = presentError({ kind: err.kind, message: err.message, field: err.field, image: imageProblemOf(err) }, zh).text;
    assert.match(text, /^无法读取图片 missing\.png：ENOENT/);
  });
});

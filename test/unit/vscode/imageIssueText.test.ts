import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { imageIssueText } from '../../../src/vscode/generate/imageIssueText';
import type { Translate } from '../../../src/vscode/presentation/translate';

const t: Translate = (message, ...args) => `«${message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]))}»`;

describe('imageIssueText', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sora-image-issue-'));
  const file = (name: string, bytes: Uint8Array) => {
    const p = path.join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };

  it('names a GIF, an empty file, a missing one and one over 10 MB, through the translator', async () => {
    assert.equal(await imageIssueText(file('cat.gif', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00')), t), '«cat.gif is not a PNG, JPEG or WebP image (its contents do not match any of them). Convert it first.»');
    assert.equal(await imageIssueText(file('empty.png', new Uint8Array()), t), '«empty.png is empty: choose a PNG, JPEG or WebP image.»');
    assert.equal(await imageIssueText(path.join(dir, 'gone.png'), t), '«Cannot read the image gone.png. Check that the file exists.»');
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(await imageIssueText(file('huge.png', big), t), '«huge.png is 10.0 MB; Kie accepts images up to 10 MB. Resize or compress it first.»');
    assert.equal(await imageIssueText(dir, t), `«${path.basename(dir)} is not a file: choose a PNG, JPEG or WebP image.»`);
  });
});

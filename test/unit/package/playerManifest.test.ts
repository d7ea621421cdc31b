import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The manifest entries of the Sora Player and the compare view, which users and security rely on. */
const root = path.resolve(__dirname, '../../../..');
interface Manifest {
  contributes: {
    customEditors: { viewType: string; selector: { filenamePattern: string }[]; priority: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    configuration: { properties: Record<string, { scope?: string; default?: unknown }> };
  };
}
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;

describe('the Sora Player in the manifest', () => {
  it('is offered for every .mp4 as an option, so VS Code\'s own preview stays the default', () => {
    const editor = manifest.contributes.customEditors.find((e) => e.viewType === 'sora.videoPlayer');
    assert.ok(editor);
    assert.equal(editor.priority, 'option');
    assert.deepEqual(editor.selector, [{ filenamePattern: '*.mp4' }]);
  });

  it('sora.ffmpegPath is machine-scoped, so a workspace cannot name the program the extension runs', () => {
    const setting = manifest.contributes.configuration.properties['sora.ffmpegPath'];
    assert.equal(setting?.scope, 'machine');
    assert.equal(setting.default, '');
  });

  it('offers Compare in the Explorer only for a multi-selection of MP4 files', () => {
    const item = manifest.contributes.menus['explorer/context'].find((m) => m.command === 'sora.compareVideos');
    assert.ok(item?.when?.includes('listMultiSelection'), item?.when);
    const re = /resourceExtname =~ \/(.+)\/(\w*)/.exec(item?.when ?? '');
    assert.ok(re);
    const ext = new RegExp(re[1], re[2]);
    assert.ok(ext.test('.mp4') && ext.test('.MP4'));
    assert.ok(!ext.test('.mov') && !ext.test('.mp4.json'));
  });
});

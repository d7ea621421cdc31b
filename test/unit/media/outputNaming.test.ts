import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chooseVideoPath, promptSlug, sidecarPathFor, taskIdSuffix, videoFileName } from '../../../src/core/media/outputNaming';

describe('output naming', () => {
  it('makes a lowercase ASCII slug of the prompt', () => {
    assert.equal(promptSlug('A Cat, surfing a WAVE at dawn!'), 'a-cat-surfing-a-wave-at-dawn');
    assert.equal(promptSlug('Café crème — déjà vu'), 'cafe-creme-deja-vu');
  });

  it('cuts long prompts at a word boundary within 40 characters', () => {
    const slug = promptSlug('a very long prompt about a lighthouse keeper who watches the northern lights every night');
    assert.ok(slug.length <= 40, slug);
    assert.equal(slug, 'a-very-long-prompt-about-a-lighthouse');
  });

  it('keeps CJK characters and falls back to "video" when nothing usable is left', () => {
    assert.equal(promptSlug('一只猫在冲浪'), '一只猫在冲浪');
    assert.equal(promptSlug('🎬🎥 !!! ???'), 'video');
    assert.equal(promptSlug('../../etc/passwd'), 'etc-passwd');
    assert.equal(promptSlug('con:<>|"*?'), 'con');
  });

  it('uses the last 8 safe characters of the task id', () => {
    assert.equal(taskIdSuffix('task_sora-2-image-to-video_1765184045509'), '84045509');
    assert.equal(taskIdSuffix('a/b\\c'), 'abc');
    assert.equal(videoFileName('A cat', 'veo_task_abcdef123456'), 'a-cat-ef123456.mp4');
    assert.equal(sidecarPathFor('/x/a-cat-ef123456.mp4'), '/x/a-cat-ef123456.json');
  });

  describe('chooseVideoPath', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'naming-'));
    });
    afterEach(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    it('never overwrites another file of the same name, and reuses its own', async () => {
      const notOurs = async (): Promise<boolean> => false;
      const first = await chooseVideoPath(dir, 'A cat', 'task_12345678', notOurs);
      assert.equal(path.basename(first), 'a-cat-12345678.mp4');
      await fs.writeFile(first, 'someone else');
      const second = await chooseVideoPath(dir, 'A cat', 'task_12345678', notOurs);
      assert.equal(path.basename(second), 'a-cat-12345678-1.mp4');
      await fs.writeFile(sidecarPathFor(second), '{}');
      assert.equal(path.basename(await chooseVideoPath(dir, 'A cat', 'task_12345678', notOurs)), 'a-cat-12345678-2.mp4');
      const own = async (sidecar: string): Promise<boolean> => sidecar === sidecarPathFor(first);
      assert.equal(await chooseVideoPath(dir, 'A cat', 'task_12345678', own), first);
    });
  });
});

import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { framePathFor } from '../../../src/core/media/frameImage';
import { chooseVideoPath, promoteTake, promptSlug, sidecarPathFor, taskIdSuffix, videoFileName } from '../../../src/core/media/outputNaming';

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

  describe('promoteTake', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'promote-'));
    });
    afterEach(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    it('moves each take\'s thumbnail with it, so the plain name never shows the other take\'s first frame', async () => {
      const take = async (file: string, taskId: string, thumb: string | undefined) => {
        await fs.writeFile(path.join(dir, file), `video of ${taskId}`);
        await fs.writeFile(sidecarPathFor(path.join(dir, file)), JSON.stringify({ taskId, file }));
        if (thumb) await fs.writeFile(framePathFor(path.join(dir, file), 'thumb'), thumb);
      };
      await take('intro.mp4', 'task_aaaaaaaa', 'first frame of a');
      await take('intro.bbbbbbbb.mp4', 'task_bbbbbbbb', 'first frame of b');
      await fs.writeFile(framePathFor(path.join(dir, 'intro.mp4'), 'last'), 'last frame of a');
      const taskIdOf = async (sidecar: string) => (JSON.parse(await fs.readFile(sidecar, 'utf8')) as { taskId: string }).taskId;

      const moves = await promoteTake(dir, 'intro', path.join(dir, 'intro.bbbbbbbb.mp4'), 'task_bbbbbbbb', taskIdOf);
      assert.deepEqual(
        moves.map((m) => [path.basename(m.from), path.basename(m.to)]),
        [
          ['intro.mp4', 'intro.aaaaaaaa.mp4'],
          ['intro.bbbbbbbb.mp4', 'intro.mp4'],
        ],
      );
      const read = (name: string) => fs.readFile(path.join(dir, name), 'utf8');
      assert.equal(await read('intro.mp4'), 'video of task_bbbbbbbb');
      assert.equal(await read('intro.thumb.png'), 'first frame of b');
      assert.equal(await read('intro.aaaaaaaa.thumb.png'), 'first frame of a');
      assert.equal(JSON.parse(await read('intro.json')).file, 'intro.mp4');
      // The saved last frame stays where a prompt file may point at it.
      assert.equal(await read('intro.last.png'), 'last frame of a');
      assert.deepEqual((await fs.readdir(dir)).sort(), ['intro.aaaaaaaa.json', 'intro.aaaaaaaa.mp4', 'intro.aaaaaaaa.thumb.png', 'intro.json', 'intro.last.png', 'intro.mp4', 'intro.thumb.png']);
    });

    it('a take without a thumbnail leaves none behind at the plain name', async () => {
      await fs.writeFile(path.join(dir, 'intro.mp4'), 'a');
      await fs.writeFile(path.join(dir, 'intro.json'), JSON.stringify({ taskId: 'task_aaaaaaaa', file: 'intro.mp4' }));
      await fs.writeFile(path.join(dir, 'intro.thumb.png'), 'first frame of a');
      await fs.writeFile(path.join(dir, 'intro.bbbbbbbb.mp4'), 'b');
      await promoteTake(dir, 'intro', path.join(dir, 'intro.bbbbbbbb.mp4'), 'task_bbbbbbbb', async () => 'task_aaaaaaaa');
      await assert.rejects(fs.access(path.join(dir, 'intro.thumb.png')), 'the plain name would show a\'s first frame for b');
      assert.equal(await fs.readFile(path.join(dir, 'intro.aaaaaaaa.thumb.png'), 'utf8'), 'first frame of a');
    });
  });
});

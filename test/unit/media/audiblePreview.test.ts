import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { audiblePreviewPath, existingAudiblePreview, FfmpegError, findFfmpeg, makeAudiblePreview } from '../../../src/core/media/audiblePreview';
import { detectAudioCodec } from '../../../src/core/media/mp4Audio';

const root = path.resolve(__dirname, '../../../..');
const SAMPLE = path.join(root, 'src/simulator/fixtures/sample.mp4');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Debian's ffmpeg, which the test toolchain installs (scripts/setup-vscode-test.sh). */
function systemFfmpeg(): string {
  const found = spawnSync('sh', ['-c', 'command -v ffmpeg'], { encoding: 'utf8' }).stdout.trim();
  assert.ok(found, 'ffmpeg is not on the PATH: install it (apt-get install -y ffmpeg) to run these tests');
  return found;
}

/** ffprobe's codec name for the first stream of a kind. */
function codecOf(file: string, kind: 'v' | 'a'): string {
  return execFileSync('ffprobe', ['-v', 'error', '-select_streams', `${kind}:0`, '-show_entries', 'stream=codec_name', '-of', 'default=nw=1:nk=1', file], { encoding: 'utf8' }).trim();
}

/** The video stream's packets, exactly as stored (no decoding): equal bytes mean an untouched picture. */
function videoStreamHash(file: string): string {
  return sha256(execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-map', '0:v', '-c', 'copy', '-f', 'data', '-'], { maxBuffer: 256 * 1024 * 1024 }));
}

describe('audible preview (real ffmpeg)', function () {
  this.timeout(60_000);
  let dir: string;
  let video: string;
  let cache: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sora-audible-'));
    video = path.join(dir, 'a red fox.mp4');
    cache = path.join(dir, 'cache');
    writeFileSync(video, readFileSync(SAMPLE));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the fixture really is AAC, so the preview has something to fix', async () => {
    assert.equal(await detectAudioCodec(video), 'aac');
    assert.equal(codecOf(video, 'a'), 'aac');
  });

  it('copies the video stream byte for byte, converts the audio to Opus, and leaves the original untouched', async () => {
    const before = sha256(readFileSync(video));
    const preview = await makeAudiblePreview(systemFfmpeg(), video, cache);
    assert.equal(path.dirname(preview), cache);
    assert.equal(codecOf(preview, 'a'), 'opus');
    assert.equal(await detectAudioCodec(preview), 'opus');
    assert.equal(codecOf(preview, 'v'), codecOf(video, 'v'));
    assert.equal(videoStreamHash(preview), videoStreamHash(video));
    assert.equal(sha256(readFileSync(video)), before, 'the original file changed');
  });

  it('reuses the preview of an unchanged file and makes a new one when the file changes', async () => {
    const ffmpeg = systemFfmpeg();
    const first = await makeAudiblePreview(ffmpeg, video, cache);
    assert.equal(await existingAudiblePreview(cache, video), first);
    assert.equal(await makeAudiblePreview(ffmpeg, video, cache), first);
    // Another video written at the same path (a regenerated take) must not play the old preview.
    writeFileSync(video, Buffer.concat([readFileSync(SAMPLE), Buffer.alloc(16)]));
    assert.notEqual(await audiblePreviewPath(cache, video), first);
    assert.equal(await existingAudiblePreview(cache, video), undefined);
  });

  it('fails with ffmpeg\'s reason on a file that is not a video, and leaves nothing half-written in the cache', async () => {
    const bogus = path.join(dir, 'not-a-video.mp4');
    writeFileSync(bogus, 'this is text, not an MP4');
    await assert.rejects(makeAudiblePreview(systemFfmpeg(), bogus, cache), (err: unknown) => err instanceof FfmpegError && /ffmpeg failed/.test(err.message));
    assert.equal(await existingAudiblePreview(cache, bogus), undefined);
    assert.deepEqual(execFileSync('ls', ['-A', cache], { encoding: 'utf8' }).trim(), '');
  });

  it('a path starting with a dash or naming a protocol is read as a file', async () => {
    const odd = path.join(dir, '-concat:x.mp4');
    writeFileSync(odd, readFileSync(SAMPLE));
    const preview = await makeAudiblePreview(systemFfmpeg(), odd, cache);
    assert.equal(codecOf(preview, 'a'), 'opus');
  });
});

describe('findFfmpeg', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sora-ffmpeg-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const fakeFfmpeg = (folder: string, mode = 0o755): string => {
    const file = path.join(folder, process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg');
    writeFileSync(file, '#!/bin/sh\n');
    chmodSync(file, mode);
    return file;
  };

  it('finds ffmpeg on the PATH, skipping relative and empty entries', async () => {
    const file = fakeFfmpeg(dir);
    assert.equal(await findFfmpeg(undefined, ['', 'relative/bin', path.join(dir, 'missing'), dir].join(path.delimiter)), file);
  });

  it('returns undefined when the PATH has none', async () => {
    assert.equal(await findFfmpeg(undefined, path.join(dir, 'missing')), undefined);
    assert.equal(await findFfmpeg('', ''), undefined);
  });

  it('uses the configured path only when it is an absolute, executable file', async () => {
    const file = fakeFfmpeg(dir);
    assert.equal(await findFfmpeg(file, ''), file);
    assert.equal(await findFfmpeg(`  ${file}  `, ''), file);
    assert.equal(await findFfmpeg(path.relative(process.cwd(), file), ''), undefined);
    assert.equal(await findFfmpeg(dir, ''), undefined, 'a folder is not a program');
    assert.equal(await findFfmpeg(path.join(dir, 'nope'), dir), undefined, 'a wrong setting does not silently run something else');
  });

  if (process.platform !== 'win32') {
    it('ignores a file that is not executable', async () => {
      fakeFfmpeg(dir, 0o644);
      assert.equal(await findFfmpeg(undefined, dir), undefined);
    });
  }
});

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectAudioCodec } from '../../../src/core/media/mp4Audio';

const FIXTURE = path.join(__dirname, '..', '..', '..', '..', 'src', 'simulator', 'fixtures', 'sample.mp4');

function ffmpeg(out: string, audio: string[] | null): void {
  const args = ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=64x36:rate=10'];
  if (audio) args.push('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000');
  args.push('-t', '1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p');
  if (audio) args.push(...audio);
  else args.push('-an');
  args.push(out);
  execFileSync('ffmpeg', args, { stdio: 'pipe' });
}

function hasEncoder(name: string): boolean {
  const list = execFileSync('ffmpeg', ['-hide_banner', '-encoders'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return list.split('\n').some((line) => line.trim().split(/\s+/)[1] === name);
}

/** Top-level boxes of an MP4, as [type, bytes] pairs. */
function topLevelBoxes(buf: Buffer): Array<[string, Buffer]> {
  const boxes: Array<[string, Buffer]> = [];
  for (let pos = 0; pos + 8 <= buf.length; ) {
    const size = buf.readUInt32BE(pos);
    boxes.push([buf.toString('latin1', pos + 4, pos + 8), buf.subarray(pos, pos + size)]);
    pos += size;
  }
  return boxes;
}

describe('detectAudioCodec', () => {
  let dir: string;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mp4audio-'));
  });

  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('reports AAC for the simulator fixture', async () => {
    assert.equal(await detectAudioCodec(FIXTURE), 'aac');
  });

  it('reports none for a video-only MP4', async () => {
    const file = path.join(dir, 'video-only.mp4');
    ffmpeg(file, null);
    assert.equal(await detectAudioCodec(file), 'none');
  });

  it('reports aac with moov before mdat (faststart) too', async () => {
    const file = path.join(dir, 'faststart.mp4');
    ffmpeg(file, ['-c:a', 'aac', '-movflags', '+faststart']);
    const order = topLevelBoxes(await fs.readFile(file)).map(([t]) => t);
    assert.ok(order.indexOf('moov') < order.indexOf('mdat'), `moov should come first: ${order.join(',')}`);
    assert.equal(await detectAudioCodec(file), 'aac');
  });

  it('reports opus for an Opus track', async () => {
    const file = path.join(dir, 'opus.mp4');
    ffmpeg(file, ['-c:a', hasEncoder('libopus') ? 'libopus' : 'opus', '-strict', '-2']);
    assert.equal(await detectAudioCodec(file), 'opus');
  });

  it('tells MP3 apart from AAC although both are stored as mp4a', async () => {
    const file = path.join(dir, 'mp3.mp4');
    ffmpeg(file, ['-c:a', 'libmp3lame']);
    assert.equal(await detectAudioCodec(file), 'mp3');
  });

  it('seeks past a huge mdat instead of reading it', async () => {
    const boxes = topLevelBoxes(await fs.readFile(FIXTURE));
    const ftyp = boxes.find(([t]) => t === 'ftyp')?.[1];
    const moov = boxes.find(([t]) => t === 'moov')?.[1];
    assert.ok(ftyp && moov);
    // A sparse 6 GiB mdat with a 64-bit size: reading it whole would fail outright.
    const mdatSize = 6 * 1024 ** 3;
    const mdatHead = Buffer.alloc(16);
    mdatHead.writeUInt32BE(1, 0);
    mdatHead.write('mdat', 4, 'latin1');
    mdatHead.writeBigUInt64BE(BigInt(mdatSize), 8);
    const file = path.join(dir, 'huge.mp4');
    const fh = await fs.open(file, 'w');
    try {
      await fh.write(ftyp, 0, ftyp.length, 0);
      await fh.write(mdatHead, 0, 16, ftyp.length);
      await fh.write(moov, 0, moov.length, ftyp.length + mdatSize);
    } finally {
      await fh.close();
    }
    assert.equal(await detectAudioCodec(file), 'aac');
  });

  it('reports unknown for files that are not MP4s or are cut short', async () => {
    const garbage = path.join(dir, 'garbage.mp4');
    await fs.writeFile(garbage, Buffer.from('this is not an mp4 file at all, just text'));
    assert.equal(await detectAudioCodec(garbage), 'unknown');

    const empty = path.join(dir, 'empty.mp4');
    await fs.writeFile(empty, Buffer.alloc(0));
    assert.equal(await detectAudioCodec(empty), 'unknown');

    const whole = await fs.readFile(FIXTURE);
    const moovAt = whole.indexOf('moov', 0, 'latin1') - 4;
    const cut = path.join(dir, 'cut.mp4');
    await fs.writeFile(cut, whole.subarray(0, moovAt + 40));
    assert.equal(await detectAudioCodec(cut), 'unknown');
  });

  it('rejects a missing file', async () => {
    await assert.rejects(detectAudioCodec(path.join(dir, 'nope.mp4')), /ENOENT/);
  });
});

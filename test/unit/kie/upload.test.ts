import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KieClient } from '../../../src/core/kie/kieClient';
import { startSimulator, type Simulator } from '../../../src/simulator/server';
import { KIE_UPLOAD_FOLDER } from '../../../src/core/kie/upload/kieUpload';
import { clientFor, kieError } from './kieClientHarness';

const PNG_HEAD = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 4, 0, 0, 0, 3]);
const KIE_UPLOAD = '/upload-host/api/file-stream-upload';
const IMGBB_UPLOAD = '/imgbb/1/upload';

describe('uploadImage', () => {
  let sim: Simulator;
  let dir: string;
  let png: string;
  let pngBytes: Buffer;
  const opened: KieClient[] = [];

  before(async () => {
    sim = await startSimulator();
    dir = mkdtempSync(join(tmpdir(), 'sora-upload-'));
    pngBytes = Buffer.concat([PNG_HEAD, randomBytes(300_000)]);
    png = join(dir, 'My Photo (1).png');
    writeFileSync(png, pngBytes);
  });
  after(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => sim.reset());
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close()));
  });

  describe('through Kie’s file upload', () => {
    it('streams the file as multipart and returns data.downloadUrl, which serves the same bytes', async () => {
      const { client } = clientFor(sim, opened);
      const url = await client.uploadImage(png);
      assert.deepEqual(sim.uploaded(url)?.data, pngBytes);
      assert.equal(sim.uploaded(url)?.mimeType, 'image/png');
      const req = sim.requests.find((r) => r.path === KIE_UPLOAD);
      assert.ok(req);
      assert.equal(req.auth, 'valid');
      assert.equal(req.headers['transfer-encoding'], undefined);
      assert.ok(Number(req.headers['content-length']) > pngBytes.length);
      const body = req.body as { fields: Record<string, string>; files: Array<{ field: string; fileName: string; contentType: string; size: number }> };
      assert.equal(body.fields.uploadPath, KIE_UPLOAD_FOLDER);
      assert.equal(KIE_UPLOAD_FOLDER, 'images/sora-video');
      assert.equal(body.files.length, 1);
      assert.equal(body.files[0].field, 'file');
      assert.equal(body.files[0].contentType, 'image/png');
      assert.equal(body.files[0].size, pngBytes.length);
      assert.match(body.files[0].fileName, /-My-Photo-1\.png$/);
      assert.equal(body.fields.fileName, body.files[0].fileName);
    });

    it('gives every upload its own name so two uploads never overwrite each other', async () => {
      const { client } = clientFor(sim, opened);
      const a = await client.uploadImage(png);
      const b = await client.uploadImage(png);
      assert.notEqual(a, b);
    });

    it('reports a rejected key as unauthorized without retrying', async () => {
      const { client, sleeps } = clientFor(sim, opened, { apiKey: 'wrong' });
      const e = await kieError(client.uploadImage(png));
      assert.equal(e.kind, 'unauthorized');
      assert.equal(sim.count(KIE_UPLOAD), 1);
      assert.deepEqual(sleeps, []);
    });

    it('retries a server error on upload (uploads are free and uniquely named)', async () => {
      sim.failNext(KIE_UPLOAD, { kind: 'code', code: 500 });
      const { client } = clientFor(sim, opened);
      const url = await client.uploadImage(png);
      assert.deepEqual(sim.uploaded(url)?.data, pngBytes);
      assert.equal(sim.count(KIE_UPLOAD), 2);
    });

    it('checks the image before sending anything', async () => {
      const gif = join(dir, 'anim.gif');
      writeFileSync(gif, Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'));
      const { client } = clientFor(sim, opened);
      const e = await kieError(client.uploadImage(gif));
      assert.equal(e.kind, 'invalidInput');
      assert.equal(e.field, 'image');
      assert.match(e.message, /PNG, JPEG or WebP/);
      assert.equal(sim.requests.length, 0);
    });
  });

  describe('through imgbb', () => {
    it('streams the file in the `image` field and returns data.url, which serves the same bytes', async () => {
      const { client, logs } = clientFor(sim, opened, { imageHost: 'imgbb' });
      const url = await client.uploadImage(png);
      assert.ok(url.startsWith(sim.imgbbUrl));
      assert.deepEqual(sim.uploaded(url)?.data, pngBytes);
      const req = sim.requests.find((r) => r.path === IMGBB_UPLOAD);
      assert.ok(req);
      assert.equal(req.auth, 'valid');
      assert.equal(req.headers.authorization, undefined, 'the Kie key never goes to imgbb');
      const body = req.body as { files: Array<{ field: string; size: number }> };
      assert.deepEqual(body.files.map((f) => [f.field, f.size]), [['image', pngBytes.length]]);
      const logged = logs.find((l) => l.path.startsWith('/imgbb/'));
      assert.ok(logged);
      assert.match(logged.path, /key=\*\*\*/);
      assert.ok(!JSON.stringify(logs).includes(sim.imgbbKey));
      assert.equal(sim.count(KIE_UPLOAD), 0);
    });

    it('maps "Invalid API v1 key." to unauthorized', async () => {
      const { client } = clientFor(sim, opened, { imageHost: 'imgbb', imgbbKey: 'bad' });
      const e = await kieError(client.uploadImage(png));
      assert.equal(e.kind, 'unauthorized');
      assert.equal(e.field, 'imgbbKey');
      assert.equal(e.detail, 'Invalid API v1 key.');
      assert.equal(e.httpStatus, 400);
    });

    it('maps "Rate limit reached." (HTTP 400) to rateLimited and retries it', async () => {
      sim.failNext(IMGBB_UPLOAD, { kind: 'code', code: 429 });
      const { client, sleeps } = clientFor(sim, opened, { imageHost: 'imgbb' });
      const url = await client.uploadImage(png);
      assert.deepEqual(sim.uploaded(url)?.data, pngBytes);
      assert.equal(sim.count(IMGBB_UPLOAD), 2);
      assert.equal(sleeps.length, 1);
    });

    it('surfaces persistent rate limiting as rateLimited', async () => {
      sim.failNext(IMGBB_UPLOAD, { kind: 'code', code: 429 }, 10);
      const { client } = clientFor(sim, opened, { imageHost: 'imgbb' });
      const e = await kieError(client.uploadImage(png));
      assert.equal(e.kind, 'rateLimited');
      assert.equal(e.detail, 'Rate limit reached.');
      assert.equal(e.httpStatus, 400);
    });

    it('passes other imgbb errors on with their message', async () => {
      sim.failNext(IMGBB_UPLOAD, { kind: 'code', code: 400, msg: 'Invalid image source.' });
      const { client } = clientFor(sim, opened, { imageHost: 'imgbb' });
      const e = await kieError(client.uploadImage(png));
      assert.equal(e.kind, 'validation');
      assert.equal(e.detail, 'Invalid image source.');
    });

    it('refuses to upload to imgbb without an imgbb key rather than sending the Kie key', async () => {
      const { client } = clientFor(sim, opened, { imageHost: 'imgbb', imgbbKey: undefined });
      const e = await kieError(client.uploadImage(png));
      assert.equal(e.kind, 'unauthorized');
      assert.equal(e.field, 'imgbbKey');
      assert.match(e.message, /imgbb/);
      assert.equal(sim.requests.length, 0);
    });
  });

  it('uploads a JPEG close to the 10 MB limit without trouble', async () => {
    const big = join(dir, 'big.jpg');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(9 * 1024 * 1024)]);
    writeFileSync(big, bytes);
    const { client } = clientFor(sim, opened);
    const url = await client.uploadImage(big);
    assert.deepEqual(sim.uploaded(url)?.data, readFileSync(big));
  });
});

import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { checkDownloadUrl, downloadFile, type DownloadDeps } from '../../src/core/media/download';
import { KieError } from '../../src/core/kie/errors';
import { HttpClient } from '../../src/core/kie/http';

/**
 * Edge cases the simulator does not produce: servers without Range support, redirects, unknown
 * lengths. The simulator-backed download tests live in kieClient.test.ts.
 */
type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

async function serve(handler: Handler): Promise<{ url: string; hits: IncomingMessage[]; close(): Promise<void> }> {
  const hits: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req);
    handler(req, res, hits.length);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const VIDEO = randomBytes(256 * 1024);
const digest = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('downloadFile (edge cases)', () => {
  let dir: string;
  let agent: Agent;
  let http: HttpClient;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sora-download-'));
    agent = new Agent();
    http = new HttpClient({ userAgent: 'test', dispatcherFor: () => agent, timeoutMs: 5000 });
  });
  afterEach(async () => {
    await agent.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function deps(origin: string, extra: Partial<DownloadDeps> = {}): DownloadDeps {
    return { http, allowedOrigins: [origin], policy: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1000 }, sleep: async () => undefined, ...extra };
  }

  it('restarts from zero when the server ignores Range after a drop', async () => {
    const srv = await serve((_req, res, hit) => {
      res.writeHead(200, { 'content-length': String(VIDEO.length) });
      if (hit === 1) {
        // Give the client time to write the first part to disk, so the retry has something to resume.
        res.write(VIDEO.subarray(0, 65536), () => setTimeout(() => res.socket?.destroy(), 100));
        return;
      }
      res.end(VIDEO);
    });
    try {
      const target = join(dir, 'v.mp4');
      const out = await downloadFile(deps(srv.url), `${srv.url}/v.mp4`, target);
      assert.equal(out.bytes, VIDEO.length);
      assert.equal(digest(readFileSync(target)), digest(VIDEO));
      assert.equal(srv.hits.length, 2);
      assert.equal(srv.hits[1].headers.range, 'bytes=65536-');
      assert.deepEqual(readdirSync(dir), ['v.mp4']);
    } finally {
      await srv.close();
    }
  });

  it('follows a redirect within the allowed origins', async () => {
    const srv = await serve((req, res) => {
      if (req.url === '/old.mp4') {
        res.writeHead(302, { location: '/new.mp4', 'content-length': '0' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-length': String(VIDEO.length) });
      res.end(VIDEO);
    });
    try {
      const target = join(dir, 'r.mp4');
      await downloadFile(deps(srv.url), `${srv.url}/old.mp4`, target);
      assert.equal(digest(readFileSync(target)), digest(VIDEO));
    } finally {
      await srv.close();
    }
  });

  it('refuses a redirect to a plain-http host outside the allowed origins', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(302, { location: 'http://example.invalid/x.mp4', 'content-length': '0' });
      res.end();
    });
    try {
      const target = join(dir, 'x.mp4');
      await assert.rejects(downloadFile(deps(srv.url), `${srv.url}/x.mp4`, target), (e: unknown) => e instanceof KieError && e.kind === 'downloadFailed' && /only https/.test(e.message));
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      await srv.close();
    }
  });

  it('accepts a body of unknown length and reports progress', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      res.write(VIDEO.subarray(0, 1000));
      res.end(VIDEO.subarray(1000));
    });
    try {
      const target = join(dir, 'c.mp4');
      const seen: Array<[number, number | undefined]> = [];
      await downloadFile(deps(srv.url), `${srv.url}/c.mp4`, target, { onProgress: (r, t) => seen.push([r, t]) });
      assert.equal(digest(readFileSync(target)), digest(VIDEO));
      assert.equal(seen.at(-1)?.[0], VIDEO.length);
      assert.equal(seen.at(-1)?.[1], undefined);
    } finally {
      await srv.close();
    }
  });

  it('stops a body without Content-Length at maxBytes and leaves nothing behind', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      res.end(VIDEO);
    });
    try {
      const target = join(dir, 'm.mp4');
      await assert.rejects(downloadFile(deps(srv.url), `${srv.url}/m.mp4`, target, { maxBytes: 1024 }), (e: unknown) => e instanceof KieError && e.kind === 'downloadFailed' && /1024-byte limit/.test(e.message));
      assert.equal(existsSync(target), false);
      assert.equal(existsSync(`${target}.part`), false);
      assert.equal(srv.hits.length, 1);
    } finally {
      await srv.close();
    }
  });

  it('gives up after the configured attempts on a server that always drops, and cleans up', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(VIDEO.length) });
      res.write(VIDEO.subarray(0, 10), () => res.socket?.destroy());
    });
    try {
      const target = join(dir, 'd.mp4');
      await assert.rejects(downloadFile(deps(srv.url), `${srv.url}/d.mp4`, target), (e: unknown) => e instanceof KieError && e.kind === 'downloadFailed' && /after 3 attempts/.test(e.message));
      assert.equal(srv.hits.length, 3);
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      await srv.close();
    }
  });

  it('does not retry a 401 from the file server', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(401, { 'content-length': '0' });
      res.end();
    });
    try {
      await assert.rejects(downloadFile(deps(srv.url), `${srv.url}/u.mp4`, join(dir, 'u.mp4')), (e: unknown) => e instanceof KieError && e.kind === 'downloadFailed' && e.httpStatus === 401);
      assert.equal(srv.hits.length, 1);
    } finally {
      await srv.close();
    }
  });
});

describe('checkDownloadUrl', () => {
  it('allows https anywhere and http only on the configured origin', () => {
    assert.equal(checkDownloadUrl('https://tempfile.example/a.mp4', []).host, 'tempfile.example');
    assert.equal(checkDownloadUrl('http://127.0.0.1:1234/files/a.mp4', ['http://127.0.0.1:1234']).port, '1234');
  });

  it('refuses other schemes and origins with a clear error', () => {
    for (const url of ['http://127.0.0.1:1235/files/a.mp4', 'file:///etc/passwd', 'ftp://x/a.mp4', 'not a url']) {
      assert.throws(() => checkDownloadUrl(url, ['http://127.0.0.1:1234']), (e: unknown) => e instanceof KieError && e.kind === 'downloadFailed', url);
    }
  });
});

import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { checkDownloadHost, checkDownloadUrl, downloadFile, isNonPublicAddress, type DownloadDeps } from '../../../src/core/media/download';
import { KieError } from '../../../src/core/kie/errors';
import { HttpClient, type HttpRequest, type OpenResponse } from '../../../src/core/kie/http';

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

/** Random bytes behind an MP4's first box header (size, then `ftyp`), which is all the download checks. */
const VIDEO = Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from('ftypisom', 'latin1'), randomBytes(256 * 1024)]);
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

  it('fails on an HTML page served with 200 instead of saving it as the video', async () => {
    const page = '<!DOCTYPE html><html><body>Access denied</body></html>';
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(Buffer.byteLength(page)) });
      res.end(page);
    });
    try {
      const target = join(dir, 'h.mp4');
      await assert.rejects(downloadFile(deps(srv.url), `${srv.url}/h.mp4`, target), (e: unknown) => e instanceof KieError && e.kind === 'downloadFailed' && /not send an MP4/.test(e.message) && e.message.includes('<!DOCTYPE'));
      assert.deepEqual(readdirSync(dir), [], 'neither the video nor a part file');
    } finally {
      await srv.close();
    }
  });

  it('applies a size limit even when the caller sets none', async () => {
    const srv = await serve((_req, res) => {
      // Announces 5 GiB: more than the default limit, refused before a byte is written.
      res.writeHead(200, { 'content-length': String(5 * 1024 ** 3) });
      res.write(VIDEO.subarray(0, 100));
    });
    try {
      const target = join(dir, 'big.mp4');
      await assert.rejects(downloadFile(deps(srv.url), `${srv.url}/big.mp4`, target), (e: unknown) => e instanceof KieError && e.kind === 'downloadFailed' && /limit/.test(e.message));
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      await srv.close();
    }
  });

  it('uses a part file of its own and removes only those of processes that are gone', async () => {
    const live = `p.mp4.${process.pid}-beef.part`;
    const parts: string[] = [];
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(VIDEO.length) });
      // Halfway through, the part file being written is on disk.
      res.write(VIDEO.subarray(0, 65536), () =>
        setTimeout(() => {
          parts.push(...readdirSync(dir).filter((n) => n.endsWith('.part') && n !== live));
          res.end(VIDEO.subarray(65536));
        }, 100),
      );
    });
    try {
      const target = join(dir, 'p.mp4');
      // No process has this id (above Linux's pid_max), so its part file is abandoned.
      writeFileSync(join(dir, 'p.mp4.99999999-dead.part'), 'old');
      writeFileSync(join(dir, live), 'another window is still writing this');
      writeFileSync(join(dir, 'p.mp4.part'), 'left by an earlier version');
      await downloadFile(deps(srv.url), `${srv.url}/p.mp4`, target);
      assert.equal(digest(readFileSync(target)), digest(VIDEO));
      assert.deepEqual(readdirSync(dir).sort(), [live, 'p.mp4'].sort());
      assert.equal(parts.length, 1, parts.join());
      assert.match(parts[0], new RegExp(`^p\\.mp4\\.${process.pid}-[0-9a-f]+\\.part$`));
    } finally {
      await srv.close();
    }
  });

  describe('hosts on local or private addresses', () => {
    /** Records where the download would connect instead of connecting anywhere but the test server. */
    class GuardedHttp extends HttpClient {
      readonly elsewhere: string[] = [];
      constructor(private readonly local: string) {
        super({ userAgent: 'test', dispatcherFor: () => agent, timeoutMs: 5000 });
      }
      override open(req: HttpRequest): Promise<OpenResponse> {
        if (!req.url.startsWith(this.local)) {
          this.elsewhere.push(req.url);
          return Promise.reject(new Error(`the test would have connected to ${req.url}`));
        }
        return super.open(req);
      }
    }

    it('refuses a name that resolves to a private address, without connecting', async () => {
      const guarded = new GuardedHttp('http://127.0.0.1');
      const asked: string[] = [];
      const resolve = async (h: string) => (asked.push(h), ['10.0.0.5']);
      const target = join(dir, 'n.mp4');
      await assert.rejects(
        downloadFile(deps('http://127.0.0.1:1', { http: guarded, resolve }), 'https://files.internal.example/n.mp4', target),
        (e: unknown) => e instanceof KieError && e.kind === 'downloadFailed' && /private network address \(10\.0\.0\.5\)/.test(e.message),
      );
      assert.deepEqual(asked, ['files.internal.example']);
      assert.deepEqual(guarded.elsewhere, []);
      assert.deepEqual(readdirSync(dir), []);
    });

    it('checks every redirect: one to a link-local address is refused after the first hop', async () => {
      const srv = await serve((_req, res) => {
        res.writeHead(302, { location: 'https://metadata.example/latest/meta-data/', 'content-length': '0' });
        res.end();
      });
      const guarded = new GuardedHttp(srv.url);
      try {
        await assert.rejects(
          downloadFile(deps(srv.url, { http: guarded, resolve: async () => ['169.254.169.254'] }), `${srv.url}/r.mp4`, join(dir, 'r.mp4')),
          (e: unknown) => e instanceof KieError && e.kind === 'downloadFailed' && /169\.254\.169\.254/.test(e.message),
        );
        assert.equal(srv.hits.length, 1);
        assert.deepEqual(guarded.elsewhere, []);
      } finally {
        await srv.close();
      }
    });

    it('refuses address literals and names with any non-public address; allows the configured origin and public hosts', async () => {
      const never = async (): Promise<string[]> => assert.fail('an address literal is not resolved');
      for (const url of ['https://127.0.0.1:9/a.mp4', 'https://[::1]/a.mp4', 'https://192.168.1.20/a.mp4', 'https://172.31.0.1/a.mp4', 'https://[fd00::1]/a.mp4', 'https://[fe80::1]/a.mp4', 'https://[::ffff:10.0.0.5]/a.mp4', 'https://0.0.0.0/a.mp4']) {
        await assert.rejects(checkDownloadHost(new URL(url), [], never), (e: unknown) => e instanceof KieError && e.kind === 'downloadFailed', url);
      }
      await assert.rejects(checkDownloadHost(new URL('https://cdn.example/a.mp4'), [], async () => ['203.0.113.7', '172.16.5.4']), /172\.16\.5\.4/);
      await checkDownloadHost(new URL('http://127.0.0.1:4567/files/a.mp4'), ['http://127.0.0.1:4567'], never);
      await checkDownloadHost(new URL('https://cdn.example/a.mp4'), [], async () => ['203.0.113.7', '2001:db8::1']);
      // A name this machine cannot resolve is left to the connection (a proxy may resolve it).
      await checkDownloadHost(new URL('https://cdn.example/a.mp4'), [], async () => Promise.reject(new Error('ENOTFOUND')));
    });

    it('knows which addresses are not public', () => {
      for (const a of ['10.0.0.5', '127.0.0.1', '169.254.169.254', '172.16.0.1', '172.31.255.255', '192.168.0.1', '100.64.0.1', '0.0.0.0', '::1', '::', 'fc00::1', 'fdab::2', 'fe80::1', 'febf::1', '::ffff:192.168.1.1', '224.0.0.1']) {
        assert.equal(isNonPublicAddress(a), true, a);
      }
      for (const a of ['8.8.8.8', '172.15.255.255', '172.32.0.1', '192.169.0.1', '2606:4700::1111', 'fec0::1', '::ffff:8.8.8.8', 'not-an-ip']) {
        assert.equal(isNonPublicAddress(a), false, a);
      }
    });
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

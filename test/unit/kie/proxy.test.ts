import { findBundled } from '../../../src/core/models/bundledSpecs';
import { buildRequest } from '../../../src/core/models/requestBuilder';
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KieError } from '../../../src/core/kie/errors';
import type { KieClient } from '../../../src/core/kie/kieClient';
import { matchesNoProxy, proxyFor } from '../../../src/core/kie/proxy';
import { fixtureVideoPath } from '../../../src/simulator/fixture';
import { startSimulator, type Simulator } from '../../../src/simulator/server';
import { clientFor, freePort } from './kieClientHarness';

describe('proxy selection', () => {
  const https = new URL('https://api.kie.ai/api/v1/chat/credit');
  const http = new URL('http://127.0.0.1:8080/x');

  it('prefers the explicit proxy over the environment and ignores NO_PROXY for it', () => {
    const env = { HTTPS_PROXY: 'http://env:1', NO_PROXY: '*' };
    assert.equal(proxyFor(https, { proxy: 'http://explicit:3128', env }), 'http://explicit:3128');
    assert.equal(proxyFor(http, { proxy: 'http://explicit:3128', env }), 'http://explicit:3128');
  });

  it('uses HTTPS_PROXY for https targets and HTTP_PROXY for http targets, in either case', () => {
    assert.equal(proxyFor(https, { env: { HTTPS_PROXY: 'http://s:1', HTTP_PROXY: 'http://h:1' } }), 'http://s:1');
    assert.equal(proxyFor(http, { env: { HTTPS_PROXY: 'http://s:1', HTTP_PROXY: 'http://h:1' } }), 'http://h:1');
    assert.equal(proxyFor(https, { env: { https_proxy: 'http://lower:1' } }), 'http://lower:1');
    assert.equal(proxyFor(http, { env: { http_proxy: 'http://lower:2' } }), 'http://lower:2');
    assert.equal(proxyFor(https, { env: { HTTP_PROXY: 'http://h:1' } }), 'http://h:1', 'HTTP_PROXY also serves https when HTTPS_PROXY is unset');
    assert.equal(proxyFor(http, { env: { HTTPS_PROXY: 'http://s:1' } }), undefined);
    assert.equal(proxyFor(https, { env: {} }), undefined);
    assert.equal(proxyFor(https, { env: { HTTPS_PROXY: '  ' } }), undefined);
  });

  it('lets NO_PROXY (or no_proxy) bypass the environment proxy', () => {
    assert.equal(proxyFor(https, { env: { HTTPS_PROXY: 'http://s:1', NO_PROXY: 'kie.ai' } }), undefined);
    assert.equal(proxyFor(https, { env: { HTTPS_PROXY: 'http://s:1', no_proxy: 'example.com' } }), 'http://s:1');
  });

  const cases: Array<[string, string, boolean]> = [
    ['https://api.kie.ai/', 'api.kie.ai', true],
    ['https://api.kie.ai/', 'kie.ai', true],
    ['https://api.kie.ai/', '.kie.ai', true],
    ['https://api.kie.ai/', '*.kie.ai', true],
    ['https://notkie.ai/', 'kie.ai', false],
    ['https://api.kie.ai/', 'other.com, kie.ai', true],
    ['https://api.kie.ai/', 'other.com kie.ai', true],
    ['https://api.kie.ai/', '*', true],
    ['https://api.kie.ai/', 'kie.ai:443', true],
    ['https://api.kie.ai/', 'kie.ai:8443', false],
    ['http://127.0.0.1:8080/', '127.0.0.1', true],
    ['http://127.0.0.1:8080/', '127.0.0.1:8080', true],
    ['http://127.0.0.1:8080/', '127.0.0.1:9090', false],
    ['http://[::1]:8080/', '[::1]:8080', true],
    ['http://[::1]:8080/', '::1', true],
    ['http://LOCALHOST:80/', 'localhost', true],
    ['https://api.kie.ai/', '', false],
  ];
  for (const [url, noProxy, expected] of cases) {
    it(`NO_PROXY "${noProxy}" ${expected ? 'matches' : 'does not match'} ${url}`, () => {
      assert.equal(matchesNoProxy(new URL(url), noProxy), expected);
    });
  }
});

function findTinyproxy(): string {
  const found = ['/usr/bin/tinyproxy', '/usr/sbin/tinyproxy', '/usr/local/bin/tinyproxy'].find((p) => existsSync(p));
  if (!found) assert.fail('tinyproxy is not installed: install it (apt-get install tinyproxy) to run the proxy test');
  return found;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** A real forward proxy, started with a generated config in the foreground. */
async function startTinyproxy(dir: string): Promise<{ url: string; process: ChildProcess; output: () => string }> {
  const bin = findTinyproxy();
  const port = await freePort();
  const conf = join(dir, 'tinyproxy.conf');
  writeFileSync(conf, [`Port ${port}`, 'Listen 127.0.0.1', 'Allow 127.0.0.1', 'Timeout 30', 'MaxClients 20', 'LogLevel Info', `LogFile "${join(dir, 'tinyproxy.log')}"`, ''].join('\n'));
  const child = spawn(bin, ['-d', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  let exited = false;
  child.once('exit', () => (exited = true));
  for (let i = 0; i < 100 && !exited; i++) {
    if (await canConnect(port)) return { url: `http://127.0.0.1:${port}`, process: child, output: () => output };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill();
  assert.fail(`tinyproxy did not start listening on ${port}: ${output}`);
}

describe('requests through a real proxy (tinyproxy)', () => {
  let sim: Simulator;
  let dir: string;
  let proxy: { url: string; process: ChildProcess; output: () => string };
  const opened: KieClient[] = [];
  let clock = 1_800_000_000_000;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sora-proxy-'));
    sim = await startSimulator({ now: () => clock });
    proxy = await startTinyproxy(dir);
  });
  after(async () => {
    if (proxy?.process.exitCode === null) {
      const exited = new Promise((r) => proxy.process.once('exit', r));
      proxy.process.kill('SIGTERM');
      await exited;
    }
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => sim.reset());
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close()));
  });

  it('sends getCredits through the explicit proxy, even to a loopback address', async () => {
    sim.setCredits(77);
    const { client } = clientFor(sim, opened, { proxy: proxy.url });
    assert.equal(await client.getCredits(), 77, proxy.output());
    const req = sim.requests.find((r) => r.path === '/api/v1/chat/credit');
    assert.ok(req);
    assert.equal(req.viaProxy, true);
    assert.match(req.headers.via ?? '', /tinyproxy/i);
    assert.equal(req.auth, 'valid', 'the Authorization header survives the proxy');
  });

  it('goes direct without a proxy', async () => {
    const { client } = clientFor(sim, opened);
    await client.getCredits();
    assert.equal(sim.requests[0].viaProxy, false);
  });

  it('uses http_proxy from the environment, and NO_PROXY bypasses it', async () => {
    const viaEnv = clientFor(sim, opened, { env: { http_proxy: proxy.url } });
    await viaEnv.client.getCredits();
    const bypass = clientFor(sim, opened, { env: { HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' } });
    await bypass.client.getCredits();
    assert.deepEqual(
      sim.requests.map((r) => r.viaProxy),
      [true, false],
    );
  });

  it('creates a task, polls it and downloads the result through the proxy', async () => {
    const { client } = clientFor(sim, opened, { proxy: proxy.url });
    const id = await client.createTask('veo', buildRequest(findBundled('veo3_fast')!, { prompt: 'through the proxy' }));
    clock += 60_000;
    const snap = await client.getTask('veo', id);
    assert.equal(snap.status, 'success');
    const target = join(dir, 'proxied.mp4');
    await client.download(snap.resultUrls[0], target);
    assert.deepEqual(readFileSync(target), readFileSync(fixtureVideoPath()));
    assert.deepEqual(
      sim.requests.map((r) => [r.path.replace(/[0-9a-f]{16,}/, 'ID'), r.viaProxy]),
      [
        ['/api/v1/veo/generate', true],
        ['/api/v1/veo/record-info', true],
        ['/files/ID.mp4', true],
      ],
    );
  });

  it('retries createTask when the proxy refuses the connection, since nothing reached Kie', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const { client, sleeps } = clientFor(sim, opened, { proxy: dead });
    const e = await client.createTask('veo', buildRequest(findBundled('veo3_fast')!, { prompt: 'p' })).then(
      () => assert.fail('expected a failure'),
      (err: unknown) => err,
    );
    assert.ok(e instanceof KieError);
    assert.equal(e.kind, 'network');
    assert.equal(sleeps.length, 3);
    assert.equal(sim.requests.length, 0);
  });
});

import * as assert from 'node:assert/strict';
import { checkServiceUrl, isLoopbackHost } from '../../src/vscode/serviceUrl';

describe('service URL setting', () => {
  it('accepts https and strips trailing slashes', () => {
    assert.deepEqual(checkServiceUrl('https://api.kie.ai/'), { ok: true, url: 'https://api.kie.ai' });
    assert.deepEqual(checkServiceUrl('  https://proxy.example.com/kie//  '), { ok: true, url: 'https://proxy.example.com/kie' });
  });

  it('accepts plain http only on loopback, where the simulator runs', () => {
    assert.deepEqual(checkServiceUrl('http://127.0.0.1:4567'), { ok: true, url: 'http://127.0.0.1:4567' });
    assert.deepEqual(checkServiceUrl('http://localhost:8080/upload-host'), { ok: true, url: 'http://localhost:8080/upload-host' });
    assert.deepEqual(checkServiceUrl('http://[::1]:9000'), { ok: true, url: 'http://[::1]:9000' });
    assert.deepEqual(checkServiceUrl('http://api.kie.ai'), { ok: false, reason: 'insecure' });
    assert.deepEqual(checkServiceUrl('http://127.0.0.1.evil.example'), { ok: false, reason: 'insecure' });
  });

  it('rejects what is not a usable base URL', () => {
    for (const bad of ['', 'api.kie.ai', 'ftp://api.kie.ai', 'https://user:pw@api.kie.ai', 'https://api.kie.ai/?key=1', 'javascript:alert(1)']) {
      assert.deepEqual(checkServiceUrl(bad), { ok: false, reason: 'invalid' }, bad);
    }
  });

  it('knows the loopback names', () => {
    assert.ok(isLoopbackHost('LOCALHOST'));
    assert.ok(isLoopbackHost('127.8.9.10'));
    assert.ok(!isLoopbackHost('10.0.0.1'));
    assert.ok(!isLoopbackHost('localhost.example.com'));
  });
});

import * as assert from 'node:assert/strict';
import { checkServiceUrl, consentsNeeded, isLoopbackHost, originNeedingConsent, userLevelValue } from '../../../src/vscode/settings/serviceUrl';

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

  it('takes only the user\'s value: a workspace or folder value never redirects the key', () => {
    const fallback = 'https://api.kie.ai';
    assert.equal(userLevelValue({ defaultValue: fallback, workspaceValue: 'https://evil.example' }, fallback), fallback);
    assert.equal(userLevelValue({ defaultValue: fallback, workspaceFolderValue: 'https://evil.example' }, fallback), fallback);
    assert.equal(
      userLevelValue({ defaultValue: fallback, globalValue: 'http://127.0.0.1:4567', workspaceValue: 'https://evil.example' }, fallback),
      'http://127.0.0.1:4567',
    );
    assert.equal(userLevelValue(undefined, fallback), fallback);
  });

  it('asks before a key goes anywhere but Kie\'s and imgbb\'s hosts or loopback', () => {
    for (const ok of ['https://api.kie.ai', 'https://kieai.redpandaai.co/', 'https://API.IMGBB.COM', 'http://127.0.0.1:4567', 'http://localhost:9/x', 'http://[::1]:80']) {
      assert.equal(originNeedingConsent(ok), undefined, ok);
    }
    assert.equal(originNeedingConsent('https://kie-proxy.example.com/v1'), 'https://kie-proxy.example.com');
    assert.equal(originNeedingConsent('https://api.kie.ai:8443'), 'https://api.kie.ai:8443', 'another port is another service');
    assert.equal(originNeedingConsent('https://api.kie.ai.evil.example'), 'https://api.kie.ai.evil.example');
  });

  it('lists each origin that still needs an answer once, skipping approved ones', () => {
    const urls = [
      { setting: 'apiBaseUrl', url: 'https://gw.example.com/kie' },
      { setting: 'uploadBaseUrl', url: 'https://gw.example.com/upload' },
      { setting: 'imgbbBaseUrl', url: 'https://img.example.org' },
    ];
    assert.deepEqual(consentsNeeded(urls, new Set()), [
      { setting: 'apiBaseUrl', origin: 'https://gw.example.com' },
      { setting: 'imgbbBaseUrl', origin: 'https://img.example.org' },
    ]);
    assert.deepEqual(consentsNeeded(urls, new Set(['https://gw.example.com'])), [{ setting: 'imgbbBaseUrl', origin: 'https://img.example.org' }]);
  });
});

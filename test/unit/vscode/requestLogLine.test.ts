import * as assert from 'node:assert/strict';
import { formatRequestLine, redactSecrets } from '../../../src/vscode/requestLogLine';

describe('request log line', () => {
  it('names method, path, status, code, duration and task id', () => {
    const line = formatRequestLine({ method: 'GET', path: '/api/v1/jobs/recordInfo?taskId=task_1', status: 200, code: 200, durationMs: 41.6, taskId: 'task_1', attempt: 1 });
    assert.equal(line, 'GET /api/v1/jobs/recordInfo?taskId=task_1 → 200 code=200 42ms taskId=task_1');
  });

  it('shows retries and errors', () => {
    const line = formatRequestLine({ method: 'POST', path: '/api/v1/jobs/createTask', durationMs: 3000, attempt: 2, error: 'socket hang up' });
    assert.equal(line, 'POST /api/v1/jobs/createTask → - 3000ms attempt=2 error=socket hang up');
  });

  it('scrubs keys even if the core let one through', () => {
    const line = formatRequestLine({ method: 'POST', path: '/1/upload?expiration=600&key=abc123secret', durationMs: 5, attempt: 1, error: 'Authorization: Bearer sk-live-999 rejected' });
    assert.ok(!line.includes('abc123secret'), line);
    assert.ok(!line.includes('sk-live-999'), line);
    assert.ok(line.includes('expiration=600&key=***'), line);
  });

  it('redacts bearer tokens and authorization values in free text', () => {
    assert.equal(redactSecrets('header authorization=xyz and Bearer tok.en'), 'header authorization=*** and Bearer ***');
    assert.equal(redactSecrets('{"Authorization": "Bearer abc"}'), '{"Authorization": "Bearer ***"}');
  });
});

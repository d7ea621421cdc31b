import * as assert from 'node:assert/strict';
import { decodeEnvelope, type RawAnswer } from '../../../src/core/kie/envelope';
import { alternativeFor, errorFromFailure, parseRetryAfter } from '../../../src/core/kie/errorMapping';
import { KieError } from '../../../src/core/kie/errors';
import { redactUrl, requestNeverSent, transportError } from '../../../src/core/kie/http';
import { backoffDelay, withRetry, type RetryPolicy } from '../../../src/core/kie/retry';

function answer(status: number, body: unknown, headers: Record<string, string> = {}): RawAnswer {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status, headers, text, json };
}

function decodeError(a: RawAnswer, ctx = {}): KieError {
  try {
    decodeEnvelope(a, ctx);
  } catch (e) {
    assert.ok(e instanceof KieError, `expected a KieError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the answer to be an error');
}

describe('decodeEnvelope', () => {
  it('returns data on code 200', () => {
    assert.deepEqual(decodeEnvelope(answer(200, { code: 200, msg: 'success', data: { taskId: 't1' } })), { taskId: 't1' });
    assert.equal(decodeEnvelope(answer(200, { code: '200', message: 'success', data: 7 })), 7);
  });

  it('trusts the body code over HTTP 200: a 401 body is unauthorized', () => {
    const e = decodeError(answer(200, { code: 401, msg: 'You do not have access permissions' }));
    assert.equal(e.kind, 'unauthorized');
    assert.equal(e.code, 401);
    assert.equal(e.httpStatus, 200);
    assert.equal(e.detail, 'You do not have access permissions');
    assert.equal(e.next, 'setApiKey');
  });

  it('reads the message from `message` when `msg` is absent', () => {
    const e = decodeError(answer(200, { code: 402, message: 'The current credits are insufficient. Please top up.' }));
    assert.equal(e.kind, 'insufficientCredits');
    assert.equal(e.detail, 'The current credits are insufficient. Please top up.');
  });

  it('falls back to the HTTP status when the body has no code', () => {
    assert.equal(decodeError(answer(429, { error: 'slow down' }, { 'retry-after': '3' })).kind, 'rateLimited');
    assert.equal(decodeError(answer(429, 'Too Many Requests', { 'retry-after': '3' })).retryAfterMs, 3000);
    assert.equal(decodeError(answer(502, '<html>Bad gateway</html>')).kind, 'server');
  });

  it('treats HTTP 200 without a code, or with non-envelope JSON, as a bad response', () => {
    assert.equal(decodeError(answer(200, { data: 1 })).kind, 'badResponse');
    assert.equal(decodeError(answer(200, [1, 2])).kind, 'badResponse');
  });

  it('reports a truncated or empty body as a bad response', () => {
    const e = decodeError(answer(200, '{"code":200,'));
    assert.equal(e.kind, 'badResponse');
    assert.match(e.message, /not valid JSON/);
    assert.equal(decodeError(answer(200, '')).kind, 'badResponse');
  });

  it("explains Cloudflare's error code 1010 with a hint about the User-Agent", () => {
    const e = decodeError(answer(403, 'error code: 1010'));
    assert.equal(e.kind, 'badResponse');
    assert.equal(e.httpStatus, 403);
    assert.match(e.message, /User-Agent/);
    assert.equal(e.detail, 'error code: 1010');
  });
});

describe('errorFromFailure', () => {
  const cases: Array<[number, string | undefined, string]> = [
    [400, 'taskId is required', 'validation'],
    [401, undefined, 'unauthorized'],
    [402, undefined, 'insufficientCredits'],
    [404, 'Task not found', 'notFound'],
    [422, 'recordInfo is null', 'notFound'],
    [422, 'aspect_ratio must be one of: landscape, portrait', 'validation'],
    [422, 'The page does not exist or is not published', 'modelUnavailable'],
    [429, undefined, 'rateLimited'],
    [455, undefined, 'maintenance'],
    [500, 'Server error', 'server'],
    [500, 'This field is required', 'validation'],
    [501, 'Generation failed', 'generationFailed'],
    [502, undefined, 'server'],
    [503, undefined, 'server'],
    [505, undefined, 'featureDisabled'],
  ];
  for (const [code, detail, kind] of cases) {
    it(`maps ${code}${detail ? ` "${detail}"` : ''} to ${kind}`, () => {
      const e = errorFromFailure({ code, detail });
      assert.equal(e.kind, kind);
      assert.equal(e.code, code);
      if (detail) assert.ok(e.message.includes(detail));
    });
  }

  it('suggests the catalog alternative for a retired model that is no longer published', () => {
    const e = errorFromFailure({ code: 422, detail: 'The page does not exist or is not published', model: 'sora-2-pro-text-to-video' });
    assert.equal(e.kind, 'modelUnavailable');
    assert.equal(e.alternativeModel, 'veo3');
    assert.equal(e.next, 'changeModel');
    assert.match(e.message, /Try veo3/);
  });

  it('suggests the first live model when the unpublished model is not marked retired', () => {
    assert.equal(alternativeFor('veo3_fast'), 'veo3');
    assert.equal(alternativeFor('veo3'), 'veo3_fast');
    assert.equal(alternativeFor('something-new'), 'veo3_fast');
  });

  it('keeps Retry-After on rate limiting and says to wait', () => {
    const e = errorFromFailure({ code: 429, retryAfter: '2' });
    assert.equal(e.retryAfterMs, 2000);
    assert.equal(e.next, 'wait');
    assert.match(e.message, /wait 2 s/);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('5'), 5000);
    assert.equal(parseRetryAfter('0'), 0);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:07 GMT', now), 7000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now), 0);
  });

  it('ignores what it cannot read', () => {
    assert.equal(parseRetryAfter(undefined), undefined);
    assert.equal(parseRetryAfter(''), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
  });
});

describe('retry', () => {
  const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 10_000 };
  const transient = (): KieError => new KieError({ kind: 'server', message: 'boom' });

  it('computes full-jitter exponential delays capped at the maximum', () => {
    assert.equal(backoffDelay(1, policy, undefined, () => 0.999999), 99);
    assert.equal(backoffDelay(3, policy, undefined, () => 0.5), 200);
    assert.equal(backoffDelay(10, policy, undefined, () => 0.999999), 999);
    assert.equal(backoffDelay(2, policy, undefined, () => 0), 0);
    assert.equal(backoffDelay(2, policy, 4000), 4000);
  });

  it('retries transient failures until success, waiting between attempts', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw transient();
        return 'ok';
      },
      { policy, shouldRetry: (e) => e instanceof KieError && e.transient, sleep: async (ms) => void waits.push(ms), random: () => 0.5 },
    );
    assert.equal(result, 'ok');
    assert.equal(calls, 3);
    assert.deepEqual(waits, [50, 100]);
  });

  it('stops after maxAttempts and rethrows the last error', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw transient();
        },
        { policy, shouldRetry: () => true, sleep: async () => undefined },
      ),
      (e: unknown) => e instanceof KieError && e.kind === 'server',
    );
    assert.equal(calls, 4);
  });

  it('does not retry what shouldRetry refuses', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw new KieError({ kind: 'unauthorized', message: 'no' });
        },
        { policy, shouldRetry: (e) => e instanceof KieError && e.transient, sleep: async () => undefined },
      ),
    );
    assert.equal(calls, 1);
  });

  it('surfaces a Retry-After longer than the policy allows instead of waiting it out', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw new KieError({ kind: 'rateLimited', message: 'later', retryAfterMs: 60_000 });
        },
        { policy, shouldRetry: () => true, sleep: async () => undefined },
      ),
      (e: unknown) => e instanceof KieError && e.retryAfterMs === 60_000,
    );
    assert.equal(calls, 1);
  });

  it('turns an abort during the wait into a cancelled error', async () => {
    const ac = new AbortController();
    const pending = withRetry(
      async () => {
        throw transient();
      },
      { policy: { ...policy, baseDelayMs: 60_000, maxDelayMs: 60_000 }, shouldRetry: () => true, signal: ac.signal, random: () => 1 },
    );
    ac.abort();
    await assert.rejects(pending, (e: unknown) => e instanceof KieError && e.kind === 'cancelled');
  });
});

describe('transport errors', () => {
  const req = { url: 'http://127.0.0.1:9/api/v1/jobs/createTask' };

  it('marks connection-refused and DNS failures as never sent', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']) {
      const e = transportError(Object.assign(new Error(code), { code }), req, 1000, false);
      assert.ok(requestNeverSent(e), code);
    }
    assert.ok(requestNeverSent(transportError(new Error('Proxy response (403) !== 200 when HTTP Tunneling'), req, 1000, false)));
  });

  it('treats resets and timeouts as possibly sent', () => {
    assert.ok(!requestNeverSent(transportError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }), req, 1000, false)));
    assert.ok(!requestNeverSent(transportError(Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' }), req, 1000, false)));
    const timeout = transportError(new Error('aborted'), req, 1000, true);
    assert.equal(timeout.kind, 'timeout');
    assert.ok(!requestNeverSent(timeout));
  });

  it('reports a caller abort as cancelled', () => {
    const ac = new AbortController();
    ac.abort();
    assert.equal(transportError(new Error('aborted'), { ...req, signal: ac.signal }, 1000, false).kind, 'cancelled');
  });
});

describe('redactUrl', () => {
  it('hides secret query values and keeps the rest', () => {
    assert.equal(redactUrl('https://api.imgbb.com/1/upload?key=abc123&expiration=600'), '/1/upload?key=***&expiration=600');
    assert.equal(redactUrl('https://x/a.mp4?X-Amz-Signature=zzz&token=t'), '/a.mp4?X-Amz-Signature=***&token=***');
    assert.equal(redactUrl('https://api.kie.ai/api/v1/jobs/recordInfo?taskId=t1'), '/api/v1/jobs/recordInfo?taskId=t1');
  });
});

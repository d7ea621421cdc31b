import * as assert from 'node:assert/strict';
import { KieError } from '../../../src/core/kie/errors';
import { createMayHaveReachedKie, downloadRetryDelay, pollNeedsUser } from '../../../src/core/tasks/retryRules';

describe('retry rules', () => {
  it('treats every createTask answer that is not a clear refusal as "may have reached Kie"', () => {
    const refused = (code: number, kind: KieError['kind']) => new KieError({ kind, message: 'x', code, httpStatus: 200 });
    assert.equal(createMayHaveReachedKie(refused(402, 'insufficientCredits')), false);
    assert.equal(createMayHaveReachedKie(refused(500, 'server')), false, "a 500 in Kie's envelope is Kie refusing");
    assert.equal(createMayHaveReachedKie(new KieError({ kind: 'server', message: 'gateway', httpStatus: 504 })), true, 'a 504 without an envelope');
    assert.equal(createMayHaveReachedKie(new KieError({ kind: 'timeout', message: 'x' })), true);
    assert.equal(createMayHaveReachedKie(new KieError({ kind: 'badResponse', message: 'x', httpStatus: 200 })), true);
    const refusedConnection = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    assert.equal(createMayHaveReachedKie(new KieError({ kind: 'network', message: 'x', cause: refusedConnection })), false, 'never left this machine');
    assert.equal(createMayHaveReachedKie(new KieError({ kind: 'network', message: 'socket hang up' })), true);
    assert.equal(createMayHaveReachedKie(new Error('a bug')), true);
  });

  it('spaces download retries out and stops after maxAttempts', () => {
    assert.deepEqual([1, 2, 3].map((n) => downloadRetryDelay(n)), [5000, 10_000, 20_000]);
    assert.equal(downloadRetryDelay(8), undefined);
    assert.equal(downloadRetryDelay(20, { maxAttempts: 100, maxMs: 60_000 }), 60_000);
  });

  it('asks the user at once only for the key or the balance', () => {
    assert.equal(pollNeedsUser(new KieError({ kind: 'unauthorized', message: 'x' })), true);
    assert.equal(pollNeedsUser(new KieError({ kind: 'insufficientCredits', message: 'x' })), true);
    assert.equal(pollNeedsUser(new KieError({ kind: 'network', message: 'x' })), false);
  });
});

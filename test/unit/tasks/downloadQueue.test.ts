import * as assert from 'node:assert/strict';
import { VirtualClock } from '../../../src/core/tasks/clock';
import { DownloadQueue } from '../../../src/core/tasks/downloadQueue';

/** A download that runs until the test ends it. */
function harness(maxConcurrent: number) {
  const clock = new VirtualClock();
  const started: string[] = [];
  const aborted: string[] = [];
  const finish = new Map<string, () => void>();
  const work: Promise<void>[] = [];
  const queue = new DownloadQueue({
    clock,
    maxConcurrent,
    run: (id, signal) =>
      new Promise<void>((resolve) => {
        started.push(id);
        finish.set(id, resolve);
        signal.addEventListener('abort', () => {
          aborted.push(id);
          resolve();
        });
      }),
    track: (p) => void work.push(p),
  });
  const settle = async () => {
    for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
  };
  return { clock, queue, started, aborted, finish, settle };
}

describe('DownloadQueue', () => {
  it('runs at most maxConcurrent at once, the rest in arrival order, each once', async () => {
    const h = harness(2);
    for (const id of ['a', 'b', 'c', 'd', 'c']) h.queue.start(id);
    assert.deepEqual(h.started, ['a', 'b']);
    assert.ok(h.queue.has('c') && h.queue.has('d'));
    h.finish.get('b')!();
    await h.settle();
    assert.deepEqual(h.started, ['a', 'b', 'c']);
    h.finish.get('a')!();
    await h.settle();
    assert.deepEqual(h.started, ['a', 'b', 'c', 'd']);
  });

  it('retries later on the clock, and a start in between replaces the pending retry', async () => {
    const h = harness(3);
    h.queue.retryLater('a', 5000);
    assert.ok(h.queue.has('a'));
    await h.clock.advance(4999);
    assert.deepEqual(h.started, []);
    await h.clock.advance(1);
    assert.deepEqual(h.started, ['a']);
    h.finish.get('a')!();
    await h.settle();
    h.queue.retryLater('b', 5000);
    h.queue.start('b');
    h.finish.get('b')!();
    await h.settle();
    await h.clock.advance(10_000);
    assert.deepEqual(h.started, ['a', 'b'], 'b ran once');
  });

  it('cancel aborts a running download and forgets a waiting one; close stops everything', async () => {
    const h = harness(1);
    h.queue.start('a');
    h.queue.start('b');
    h.queue.cancel('b');
    h.queue.cancel('a');
    await h.settle();
    assert.deepEqual(h.aborted, ['a']);
    assert.deepEqual(h.started, ['a']);
    h.queue.retryLater('c', 1000);
    h.queue.close();
    await h.clock.advance(5000);
    h.queue.start('d');
    assert.deepEqual(h.started, ['a']);
  });
});

import * as assert from 'node:assert/strict';
import { VirtualClock } from '../../../src/core/tasks/clock';
import { CREATE_WINDOW_MS, CreationBudget } from '../../../src/core/tasks/creationBudget';
import { KieError } from '../../../src/core/kie/errors';

describe('CreationBudget', () => {
  it('lets `max` creations through, then the next one a full window after an answer', async () => {
    const clock = new VirtualClock();
    const budget = new CreationBudget(clock, 2);
    const releases = [await budget.acquire(), await budget.acquire()];
    let third = false;
    const waiting = budget.acquire().then((release) => {
      third = true;
      return release;
    });
    await clock.advance(60_000);
    assert.equal(third, false, 'both bookings are in flight: nothing frees before Kie answers');
    const answeredAt = clock.monotonic();
    releases[0]();
    await clock.advance(CREATE_WINDOW_MS - 1);
    assert.equal(third, false, 'held for the whole window after the answer');
    await clock.advance(1);
    assert.equal(third, true);
    assert.equal(clock.monotonic() - answeredAt, CREATE_WINDOW_MS);
    (await waiting)();
  });

  it('counts the window on monotonic time: a wall clock set back an hour changes nothing', async () => {
    const clock = new VirtualClock();
    const budget = new CreationBudget(clock, 1);
    (await budget.acquire())();
    clock.setWallClock(clock.now() - 3_600_000);
    let next = false;
    void budget.acquire().then(() => (next = true));
    await clock.advance(CREATE_WINDOW_MS);
    assert.equal(next, true);
  });

  it('fails waiters with cancelled when closed', async () => {
    const clock = new VirtualClock();
    const budget = new CreationBudget(clock, 1);
    await budget.acquire();
    const waiting = budget.acquire();
    budget.close();
    await assert.rejects(waiting, (e: unknown) => e instanceof KieError && e.kind === 'cancelled');
  });
});

import * as assert from 'node:assert/strict';
import { VirtualClock } from '../../../src/core/tasks/clock';
import { Heartbeat, isStaleHeartbeat } from '../../../src/core/tasks/ownership';

describe('window ownership', () => {
  it('takes a heartbeat for stale when it is old, or when it lies further in the future than the limit', () => {
    const now = Date.UTC(2026, 5, 1);
    assert.equal(isStaleHeartbeat(now - 10_000, now, 30_000), false);
    assert.equal(isStaleHeartbeat(now - 31_000, now, 30_000), true);
    assert.equal(isStaleHeartbeat(now + 5_000, now, 30_000), false, 'a little skew is fine');
    assert.equal(isStaleHeartbeat(now + 3_600_000, now, 30_000), true, 'written before the clock went back an hour');
  });

  it('beats every interval of monotonic time until stopped, whatever the wall clock does', async () => {
    const clock = new VirtualClock();
    let beats = 0;
    const heartbeat = new Heartbeat(clock, 10_000, () => beats++);
    heartbeat.start();
    heartbeat.start();
    await clock.advance(30_000);
    assert.equal(beats, 3, 'one timer, however often start() is called');
    clock.setWallClock(clock.now() - 3_600_000);
    await clock.advance(20_000);
    assert.equal(beats, 5);
    heartbeat.stop();
    heartbeat.start();
    await clock.advance(60_000);
    assert.equal(beats, 5);
    assert.equal(heartbeat.running, false);
  });
});

import * as assert from 'node:assert/strict';
import { VirtualClock } from '../../../src/core/tasks/clock';
import { KieError } from '../../../src/core/kie/errors';
import {
  PollScheduler,
  adaptivePolicy,
  expectedDurationMs,
  fixedPolicy,
  kieDocumentedPolicy,
  type PollResult,
} from '../../../src/core/tasks/scheduler';

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The largest number of requests that started within any window of `windowMs`. */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('poll policies', () => {
  const ctx = (elapsedMs: number, expectedMs = 60_000) => ({ now: elapsedMs, startedAt: 0, elapsedMs, expectedMs, polls: 0 });

  it('adaptive: fast at first, sparse mid-run, fast near the expected end, slow far past it', () => {
    const p = adaptivePolicy();
    assert.equal(p.nextDelayMs(ctx(0)), 3000);
    assert.ok(p.nextDelayMs(ctx(25_000, 180_000)) > 5000);
    assert.equal(p.nextDelayMs(ctx(60_000, 60_000)), 2500);
    assert.equal(p.nextDelayMs(ctx(170_000, 180_000)), 2500);
    assert.equal(p.nextDelayMs(ctx(300_000, 180_000)), 15_000);
    assert.equal(p.nextDelayMs(ctx(3_600_000)), 30_000);
    assert.equal(adaptivePolicy({ timeScale: 0.01 }).nextDelayMs(ctx(0)), 30);
  });

  it("Kie's documented schedule and a fixed interval", () => {
    const k = kieDocumentedPolicy();
    assert.equal(k.nextDelayMs(ctx(10_000)), 2500);
    assert.equal(k.nextDelayMs(ctx(60_000)), 7500);
    assert.equal(k.nextDelayMs(ctx(600_000)), 20_000);
    assert.equal(fixedPolicy(2000).nextDelayMs(ctx(1e9)), 2000);
  });

  it('expects the catalog figure until runs were seen, then their median', () => {
    assert.equal(expectedDurationMs(60, []), 60_000);
    assert.equal(expectedDurationMs(60, [100_000]), 80_000);
    assert.equal(expectedDurationMs(60, [30_000, 40_000, 500_000]), 40_000);
  });
});

describe('PollScheduler', () => {
  it('polls each task at the intervals its policy gives', async () => {
    const clock = new VirtualClock();
    const start = clock.now();
    const policy = adaptivePolicy();
    const times: number[] = [];
    const scheduler = new PollScheduler({
      clock,
      policy,
      poll: async () => {
        times.push(clock.now());
        return clock.now() - start >= 200_000 ? 'done' : 'continue';
      },
    });
    scheduler.add('a', { startedAt: start, expectedMs: 60_000 });
    await clock.runUntil(() => !scheduler.has('a'), 3_600_000);
    assert.ok(times.length > 10);
    let prev = start;
    for (const [i, t] of times.entries()) {
      const expected = policy.nextDelayMs({ now: prev, startedAt: start, elapsedMs: prev - start, expectedMs: 60_000, polls: i });
      assert.equal(t - prev, Math.round(expected), `gap before poll ${i}`);
      prev = t;
    }
    scheduler.dispose();
  });

  it('runs 100 tasks of random length to completion without ever exceeding 10 requests a second', async () => {
    const clock = new VirtualClock();
    const random = seeded(7);
    const start = clock.now();
    const ends = new Map<string, number>();
    const times: number[] = [];
    const finished = new Set<string>();
    const scheduler = new PollScheduler({
      clock,
      policy: fixedPolicy(2000),
      maxRequestsPerSecond: 10,
      poll: async (id): Promise<PollResult> => {
        times.push(clock.now());
        if (clock.now() >= ends.get(id)!) {
          finished.add(id);
          return 'done';
        }
        return 'continue';
      },
    });
    for (let i = 0; i < 100; i++) {
      const id = `t${i}`;
      ends.set(id, start + 5000 + Math.floor(random() * 120_000));
      scheduler.add(id, { startedAt: start, expectedMs: 60_000 });
    }
    assert.ok(await clock.runUntil(() => finished.size === 100, 3_600_000));
    assert.ok(busiestWindow(times, 1000) <= 10, `busiest second: ${busiestWindow(times, 1000)}`);
    const perSecond = new Map<number, number>();
    for (const t of times) perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
    assert.ok(Math.max(...perSecond.values()) <= 10);
    assert.equal(scheduler.size, 0);
    scheduler.dispose();
  });

  it('keeps Kie under the limit however long requests take on the way', async () => {
    const clock = new VirtualClock();
    const random = seeded(3);
    const arrivals: number[] = [];
    const scheduler = new PollScheduler({
      clock,
      policy: fixedPolicy(500),
      maxRequestsPerSecond: 10,
      rateWindowMs: 1000,
      poll: (): Promise<PollResult> => {
        // Each request reaches Kie somewhere between its start and its answer, up to 900 ms later.
        const latency = Math.floor(random() * 900);
        arrivals.push(clock.now() + Math.floor(random() * latency));
        return new Promise((resolve) => clock.setTimeout(() => resolve('continue'), latency));
      },
    });
    for (let i = 0; i < 60; i++) scheduler.add(`t${i}`, { startedAt: clock.now(), expectedMs: 60_000 });
    await clock.advance(120_000);
    assert.ok(arrivals.length > 500);
    assert.ok(busiestWindow(arrivals, 1000) <= 10, `busiest second at Kie: ${busiestWindow(arrivals, 1000)}`);
    scheduler.dispose();
  });

  it('pauses every task for Retry-After after a 429', async () => {
    const clock = new VirtualClock();
    const times: Array<[string, number]> = [];
    let limited = false;
    const scheduler = new PollScheduler({
      clock,
      policy: fixedPolicy(1000),
      poll: async (id) => {
        times.push([id, clock.now()]);
        if (id === 'b' && !limited && times.length > 6) {
          limited = true;
          throw new KieError({ kind: 'rateLimited', message: 'Too many requests', httpStatus: 429, retryAfterMs: 10_000 });
        }
        return 'continue';
      },
    });
    for (const id of ['a', 'b', 'c']) scheduler.add(id, { startedAt: clock.now(), expectedMs: 60_000 });
    await clock.runUntil(() => limited, 60_000);
    const at429 = times[times.length - 1][1];
    await clock.advance(30_000);
    const during = times.filter(([, t]) => t > at429 && t < at429 + 10_000);
    assert.deepEqual(during, []);
    for (const id of ['a', 'b', 'c']) assert.ok(times.some(([x, t]) => x === id && t >= at429 + 10_000), `${id} resumed`);
    assert.equal(scheduler.stats.rateLimited, 1);
    scheduler.dispose();
  });

  it('backs off one failing task exponentially while the others carry on', async () => {
    const clock = new VirtualClock();
    const start = clock.now();
    const times = new Map<string, number[]>([['ok', []], ['bad', []]]);
    const scheduler = new PollScheduler({
      clock,
      policy: fixedPolicy(1000),
      backoff: { baseMs: 2000, maxMs: 16_000 },
      poll: async (id) => {
        times.get(id)!.push(clock.now() - start);
        if (id === 'bad') throw new KieError({ kind: 'maintenance', message: 'Service unavailable', code: 455 });
        return 'continue';
      },
    });
    scheduler.add('ok', { startedAt: start, expectedMs: 1, firstDelayMs: 0 });
    scheduler.add('bad', { startedAt: start, expectedMs: 1, firstDelayMs: 0 });
    await clock.advance(70_000);
    const bad = times.get('bad')!;
    const gaps = bad.slice(1).map((t, i) => t - bad[i]);
    assert.deepEqual(gaps.slice(0, 6), [2000, 4000, 8000, 16_000, 16_000, 16_000]);
    assert.ok(times.get('ok')!.length >= 70);
    scheduler.dispose();
  });

  it('never gives up on a task that runs far past its expected time', async () => {
    const clock = new VirtualClock();
    const start = clock.now();
    const times: number[] = [];
    const scheduler = new PollScheduler({
      clock,
      poll: async () => {
        times.push(clock.now() - start);
        return 'continue';
      },
    });
    scheduler.add('slow', { startedAt: start, expectedMs: 60_000 });
    await clock.advance(6 * 3600_000);
    assert.ok(scheduler.has('slow'));
    assert.ok(times[times.length - 1] > 6 * 3600_000 - 60_000);
    assert.equal(times[times.length - 1] - times[times.length - 2], 30_000);
    scheduler.dispose();
  });

  it('stops polling a removed task and fires nothing after dispose', async () => {
    const clock = new VirtualClock();
    let polls = 0;
    const scheduler = new PollScheduler({ clock, policy: fixedPolicy(1000), poll: async () => (polls++, 'continue') });
    scheduler.add('a', { startedAt: clock.now(), expectedMs: 1000 });
    await clock.advance(3500);
    assert.equal(polls, 3);
    scheduler.remove('a');
    await clock.advance(10_000);
    assert.equal(polls, 3);
    scheduler.add('b', { startedAt: clock.now(), expectedMs: 1000 });
    scheduler.dispose();
    await clock.advance(10_000);
    assert.equal(polls, 3);
    assert.equal(clock.pending(), 0);
  });

  it('keeps polling, within its budget, when the wall clock is set back an hour', async () => {
    const clock = new VirtualClock();
    const polls: number[] = [];
    const scheduler = new PollScheduler({
      clock,
      policy: fixedPolicy(5000),
      maxRequestsPerSecond: 2,
      poll: async () => {
        polls.push(clock.monotonic());
        return 'continue';
      },
    });
    for (const id of ['a', 'b', 'c']) scheduler.add(id, { startedAt: clock.now(), expectedMs: 60_000 });
    await clock.advance(20_000);
    const before = polls.length;
    assert.ok(before >= 9, `${before} polls before`);
    clock.setWallClock(clock.now() - 3_600_000);
    await clock.advance(60_000);
    // Three tasks every 5 s for a minute: 36 polls, not none for an hour.
    assert.ok(polls.length - before >= 30, `${polls.length - before} polls in the minute after the clock went back`);
    scheduler.dispose();
  });
});

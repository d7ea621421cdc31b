import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { VirtualClock } from '../../../src/core/tasks/clock';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { LedgerReadOnlyError, TaskLedger } from '../../../src/core/tasks/ledger';
import type { TaskRecord } from '../../../src/core/tasks/task';

function record(id: string, at = Date.UTC(2026, 0, 1)): TaskRecord {
  return {
    id,
    taskId: `task_${id}`,
    model: 'veo3_fast',
    family: 'veo',
    request: { model: 'veo3_fast', prompt: 'a cat', aspect: '16:9' },
    outputDir: '/tmp/videos',
    createdAt: at,
    updatedAt: at,
    state: 'queued',
    history: [],
  };
}

describe('TaskLedger', () => {
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ledger-'));
    file = path.join(dir, 'tasks.json');
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes a versioned file atomically and leaves no temporary or lock file behind', async () => {
    const ledger = await TaskLedger.open(file);
    await ledger.add(record('a'));
    await ledger.update('a', (r) => ({ ...r, state: 'generating' }));
    const data = JSON.parse(await fs.readFile(file, 'utf8')) as { version: number; tasks: TaskRecord[] };
    assert.equal(data.version, 1);
    assert.deepEqual(
      data.tasks.map((t) => [t.id, t.state]),
      [['a', 'generating']],
    );
    assert.deepEqual(await fs.readdir(dir), ['tasks.json']);
  });

  it('records every state change in history and keeps updatedAt increasing', async () => {
    const clock = new VirtualClock();
    const ledger = await TaskLedger.open(file, { clock });
    await ledger.add(record('a', clock.now()));
    const first = ledger.get('a')!;
    const same = await ledger.update('a', (r) => ({ ...r, costTimeMs: 5 }));
    await clock.advance(1000);
    const moved = await ledger.update('a', (r) => ({ ...r, state: 'generating' }));
    assert.deepEqual(
      moved.history.map((h) => h.state),
      ['queued', 'generating'],
    );
    assert.equal(moved.history[1].at, clock.now());
    assert.ok(same.updatedAt > first.updatedAt);
    assert.ok(moved.updatedAt > same.updatedAt);
  });

  it('survives a reopen with the same content', async () => {
    const a = await TaskLedger.open(file);
    await a.add(record('a'));
    await a.recordDuration('veo3_fast', 'task_a', 42_000);
    const b = await TaskLedger.open(file);
    assert.equal(b.get('a')?.taskId, 'task_a');
    assert.deepEqual(b.durations('veo3_fast'), [42_000]);
  });

  it('sets a corrupt file aside, reports it once and starts a fresh ledger', async () => {
    await fs.writeFile(file, '{"version":1,"tasks":[{"id":');
    const reports: Array<{ backup: string; error: Error }> = [];
    const ledger = await TaskLedger.open(file, { onCorrupt: (backup, error) => reports.push({ backup, error }) });
    assert.equal(reports.length, 1);
    assert.match(path.basename(reports[0].backup), /^tasks\.json\.corrupt-/);
    assert.equal(await fs.readFile(reports[0].backup, 'utf8'), '{"version":1,"tasks":[{"id":');
    assert.deepEqual(ledger.all(), []);
    await ledger.add(record('a'));
    await ledger.reload();
    assert.equal(reports.length, 1);
    assert.equal(ledger.get('a')?.state, 'queued');
  });

  it('leaves a ledger written by a newer version alone: read-only, told once, never renamed or rewritten', async () => {
    const newer = JSON.stringify({ version: 7, tasks: [record('a'), record('b')], somethingNew: { x: 1 } });
    await fs.writeFile(file, newer);
    const corrupt: string[] = [];
    const newerSeen: number[] = [];
    const ledger = await TaskLedger.open(file, { onCorrupt: (b) => corrupt.push(b), onNewerVersion: (v) => newerSeen.push(v) });
    assert.deepEqual(ledger.all().map((r) => r.id), ['a', 'b'], 'what can be read is shown');
    assert.equal(ledger.readOnlyVersion, 7);
    await assert.rejects(ledger.add(record('c')), LedgerReadOnlyError);
    await assert.rejects(ledger.update('a', (r) => ({ ...r, state: 'stopped' })), LedgerReadOnlyError);
    await ledger.reload();
    assert.deepEqual(corrupt, []);
    assert.deepEqual(newerSeen, [7]);
    assert.equal(await fs.readFile(file, 'utf8'), newer);
    assert.deepEqual(await fs.readdir(dir), ['tasks.json']);
  });

  it('keeps the other tasks when one entry is malformed, and keeps that entry in the file', async () => {
    const broken = { id: 42, state: ['nonsense'] };
    await fs.writeFile(file, JSON.stringify({ version: 1, tasks: [record('a'), broken, record('b')] }));
    const malformed: number[] = [];
    const corrupt: string[] = [];
    const ledger = await TaskLedger.open(file, { onMalformedEntries: (n) => malformed.push(n), onCorrupt: (b) => corrupt.push(b) });
    assert.deepEqual(ledger.all().map((r) => r.id), ['a', 'b']);
    assert.deepEqual(malformed, [1]);
    assert.deepEqual(corrupt, []);
    await ledger.update('a', (r) => ({ ...r, state: 'generating' }));
    const data = JSON.parse(await fs.readFile(file, 'utf8')) as { tasks: TaskRecord[]; unreadable?: unknown[] };
    assert.deepEqual(data.tasks.map((t) => [t.id, t.state]), [['a', 'generating'], ['b', 'queued']]);
    assert.deepEqual(data.unreadable, [broken], 'the malformed entry is not thrown away');
  });

  it('retries a file it cannot open right now (EMFILE) instead of taking it for corrupt, and reports when it gives up', async function () {
    this.timeout(20_000);
    await fs.writeFile(file, JSON.stringify({ version: 1, tasks: [record('a')] }));
    // A child process with few file descriptors: every one is taken, then freed after a while (or not).
    const child = path.join(dir, 'emfile.js');
    const ledgerModule = require.resolve('../../../src/core/tasks/ledger');
    await fs.writeFile(
      child,
      `const fs = require('fs');
const { TaskLedger } = require(${JSON.stringify(ledgerModule)});
const [file, freeAfterMs] = process.argv.slice(2);
const held = [];
try { for (;;) held.push(fs.openSync(__filename, 'r')); } catch (e) { if (e.code !== 'EMFILE') throw e; }
if (Number(freeAfterMs) >= 0) setTimeout(() => { for (const fd of held.splice(0)) fs.closeSync(fd); }, Number(freeAfterMs));
const errors = [];
TaskLedger.open(file, { onCorrupt: () => errors.push('corrupt'), onReadError: (e) => errors.push(e.message) }).then(
  (l) => { console.log(JSON.stringify({ ok: l.all().map((r) => r.id), errors })); process.exit(0); },
  (e) => { console.log(JSON.stringify({ failed: String(e.message), errors })); process.exit(0); },
);`,
    );
    const run = async (freeAfterMs: number) => {
      const { stdout } = await promisify(execFile)('sh', ['-c', `ulimit -n 40 && exec "${process.execPath}" "${child}" "${file}" ${freeAfterMs}`]);
      return JSON.parse(stdout) as { ok?: string[]; failed?: string; errors: string[] };
    };
    const recovered = await run(150);
    assert.deepEqual(recovered, { ok: ['a'], errors: [] });
    const stuck = await run(-1);
    assert.match(stuck.failed ?? '', /cannot be read right now \(EMFILE\)/);
    assert.equal(stuck.errors.length, 1);
    assert.ok(!stuck.errors.includes('corrupt'));
    assert.deepEqual((await fs.readdir(dir)).filter((n) => n.startsWith('tasks.json')), ['tasks.json'], 'not set aside');
  });

  it('lets two windows write the same file without losing each other’s tasks', async () => {
    const a = await TaskLedger.open(file);
    const b = await TaskLedger.open(file);
    await Promise.all([a.add(record('a1')), b.add(record('b1')), a.add(record('a2')), b.add(record('b2'))]);
    await Promise.all([a.update('b1', (r) => ({ ...r, state: 'generating' })), b.update('a1', (r) => ({ ...r, state: 'failed' }))]);
    await a.reload();
    await b.reload();
    const states = (l: TaskLedger): string[] => l.all().map((r) => `${r.id}:${r.state}`).sort();
    assert.deepEqual(states(a), ['a1:failed', 'a2:queued', 'b1:generating', 'b2:queued']);
    assert.deepEqual(states(b), states(a));
  });

  it('applies an update to the freshest copy, not a stale one', async () => {
    const a = await TaskLedger.open(file);
    await a.add(record('x'));
    const b = await TaskLedger.open(file);
    await a.update('x', (r) => ({ ...r, resultUrls: ['https://example.test/v.mp4'] }));
    const updated = await b.update('x', (r) => ({ ...r, state: 'succeeded' }));
    assert.deepEqual(updated.resultUrls, ['https://example.test/v.mp4']);
  });

  it('does not let a window with a stale copy bring a removed task back', async () => {
    const a = await TaskLedger.open(file);
    await a.add(record('x'));
    await a.add(record('y'));
    const b = await TaskLedger.open(file);
    await a.remove('x');
    await b.update('y', (r) => ({ ...r, state: 'generating' }));
    const c = await TaskLedger.open(file);
    assert.equal(c.get('x'), undefined);
    assert.equal(b.get('x'), undefined);
    assert.equal(c.get('y')?.state, 'generating');
  });

  it('tells listeners about changes another window made', async () => {
    const a = await TaskLedger.open(file);
    const b = await TaskLedger.open(file);
    const seen: string[] = [];
    b.onDidChange((id) => seen.push(id));
    await a.add(record('x'));
    await b.reload();
    assert.deepEqual(seen, ['x']);
  });

  it('gives each task to exactly one of two windows claiming at once, and hands over a dead owner’s tasks', async () => {
    const clock = new VirtualClock();
    const a = await TaskLedger.open(file, { clock });
    const b = await TaskLedger.open(file, { clock });
    for (const id of ['t1', 't2', 't3', 't4']) await a.add(record(id, clock.now()));
    const [byA, byB] = await Promise.all([a.claim('window-a', 30_000, () => true), b.claim('window-b', 30_000, () => true)]);
    assert.equal(byA.length + byB.length, 4);
    const owners = new Set([...byA, ...byB].map((r) => r.id));
    assert.equal(owners.size, 4);
    const winner = byA.length ? 'window-a' : 'window-b';
    const loser = winner === 'window-a' ? b : a;
    const loserId = winner === 'window-a' ? 'window-b' : 'window-a';

    await clock.advance(20_000);
    assert.deepEqual(await loser.claim(loserId, 30_000, () => true), []);
    await clock.advance(20_000);
    const takenOver = await loser.claim(loserId, 30_000, () => true);
    assert.equal(takenOver.length, 4);
    await loser.reload();
    assert.ok(loser.all().every((r) => r.owner?.id === loserId));
  });

  it('waits for another window’s lock, and takes over the lock of a window that died holding it', async () => {
    const ledger = await TaskLedger.open(file, { lockStaleMs: 15_000 });
    const lock = `${file}.lock`;
    await fs.writeFile(lock, 'other window');
    let added = false;
    const adding = ledger.add(record('a')).then(() => (added = true));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(added, false, 'does not write while another window holds the lock');
    await fs.rm(lock);
    await adding;
    assert.equal(ledger.get('a')?.state, 'queued');

    await fs.writeFile(lock, 'dead window');
    const old = new Date(Date.now() - 60_000);
    await fs.utimes(lock, old, old);
    await ledger.add(record('b'));
    assert.deepEqual(await fs.readdir(dir), ['tasks.json']);
  });

  it('does not let a lock dated in the future block writes', async () => {
    const ledger = await TaskLedger.open(file, { lockStaleMs: 15_000, lockWaitMs: 60_000 });
    const lock = `${file}.lock`;
    await fs.writeFile(lock, 'a window whose clock was an hour ahead');
    const ahead = new Date(Date.now() + 3600_000);
    await fs.utimes(lock, ahead, ahead);
    const started = Date.now();
    await ledger.add(record('a'));
    assert.ok(Date.now() - started < 15_000, 'did not wait for the lock to age');
    assert.deepEqual(await fs.readdir(dir), ['tasks.json']);
  });

  it('gives up waiting for a live lock after lockWaitMs, leaving the other window\'s lock in place', async () => {
    const ledger = await TaskLedger.open(file, { lockWaitMs: 300 });
    const lock = `${file}.lock`;
    await fs.writeFile(lock, 'another window, busy');
    await assert.rejects(ledger.add(record('a')), /locked by another VS Code window/);
    assert.equal(await fs.readFile(lock, 'utf8'), 'another window, busy');
    await fs.rm(lock);
    await ledger.add(record('a'));
    assert.equal(ledger.get('a')?.state, 'queued');
  });

  it('removes only its own lock, not one another window took over meanwhile', async () => {
    const ledger = await TaskLedger.open(file);
    const lock = `${file}.lock`;
    // Listeners run while the lock is held: stand in for a window that broke it as stale and took it.
    const sub = ledger.onDidChange(() => writeFileSync(lock, 'the other window'));
    await ledger.add(record('a'));
    sub.dispose();
    assert.equal(await fs.readFile(lock, 'utf8'), 'the other window');
  });

  it('keeps recent run times per model, merged across windows', async () => {
    const a = await TaskLedger.open(file);
    const b = await TaskLedger.open(file);
    await a.recordDuration('veo3_fast', 'task_1', 80_000);
    await b.recordDuration('veo3_fast', 'task_2', 100_000);
    await b.recordDuration('veo3', 'task_3', 200_000);
    await a.reload();
    assert.deepEqual(a.durations('veo3_fast').sort(), [100_000, 80_000].sort());
    assert.deepEqual(a.durations('veo3'), [200_000]);
    for (let i = 0; i < 30; i++) await a.recordDuration('veo3_fast', `task_x${i}`, i);
    assert.equal(a.durations('veo3_fast').length, 20);
  });
});

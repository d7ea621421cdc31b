import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { systemClock, type Clock } from './clock';
import { isStaleHeartbeat } from './ownership';
import type { TaskRecord } from './task';

/**
 * The task ledger: every task this machine has paid for, in one JSON file, so a reload, a crash or a
 * closed window loses nothing. Several VS Code windows share the file; every write takes a lock file,
 * re-reads, merges by `updatedAt` and replaces the file atomically, so no window clobbers another.
 */

export const LEDGER_VERSION = 1;

/** How many completed run times per model are kept to learn how long the model usually takes. */
const DURATION_SAMPLES = 20;
/** Deletions are remembered this long so another window's stale copy cannot bring a task back. */
const TOMBSTONE_TTL_MS = 30 * 24 * 3600_000;

export interface DurationSample {
  taskId: string;
  ms: number;
  at: number;
}

interface LedgerFile {
  version: typeof LEDGER_VERSION;
  tasks: TaskRecord[];
  /** Entries this version cannot read, kept as they are so no write drops them. */
  unreadable?: unknown[];
  /** Removed task ids and when. */
  removed?: Record<string, number>;
  /** Recent run times per catalog model id. */
  durations?: Record<string, DurationSample[]>;
}

export interface TaskLedgerOptions {
  /** Called once per file that is not JSON (or not a ledger), after it was renamed aside to `backupPath`. */
  onCorrupt?: (backupPath: string, error: Error) => void;
  /**
   * Called once when the file was written by a newer version of the extension: this one then only
   * reads it (and never renames or rewrites it), so updating the extension loses nothing.
   */
  onNewerVersion?: (version: number) => void;
  /** Called when entries of the file could not be read; they are kept in the file untouched. */
  onMalformedEntries?: (count: number) => void;
  /** Called when the file could not be read for a while (locked by a scanner, too many open files). */
  onReadError?: (error: Error) => void;
  /** How long a write waits for another window's lock before it fails (default 10 s). */
  lockWaitMs?: number;
  /** Stamps `updatedAt` and history entries (default: the system clock). */
  clock?: Clock;
  /** A lock file older than this is taken to belong to a dead process (default 15 s). */
  lockStaleMs?: number;
}

/** What a transaction sees: the freshest merged state, changed in place and written at the end. */
export interface LedgerDraft {
  get(id: string): TaskRecord | undefined;
  all(): TaskRecord[];
  /** Adds or replaces a record; stamps `updatedAt` and records a state change in `history`. */
  put(rec: TaskRecord): TaskRecord;
  delete(id: string): void;
  addDuration(model: string, sample: DurationSample): void;
}

class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();
  on(listener: (value: T) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }
  fire(value: T): void {
    for (const l of [...this.listeners]) {
      try {
        l(value);
      } catch {
        // A listener's bug must not break the ledger or the other listeners.
      }
    }
  }
}

function isRecord(v: unknown): v is TaskRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Partial<TaskRecord>;
  return typeof r.id === 'string' && typeof r.state === 'string' && typeof r.updatedAt === 'number' && Array.isArray(r.history);
}

/** The file's content is not a ledger at all: the only case in which it is set aside. */
class CorruptLedgerError extends Error {}

/** Thrown by writes while the file belongs to a newer version of the extension. */
export class LedgerReadOnlyError extends Error {
  constructor(readonly version: number) {
    super(`The task history was written by a newer version of the extension (format ${version}); this one only reads it. Update the extension.`);
    this.name = 'LedgerReadOnlyError';
  }
}

interface ParsedLedger {
  file: LedgerFile;
  /** Set when the file's format is newer than this version understands. */
  newerVersion?: number;
  malformed: number;
}

function parseLedger(text: string): ParsedLedger {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new CorruptLedgerError(e instanceof Error ? e.message : String(e));
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new CorruptLedgerError('The task ledger is not a JSON object.');
  const obj = data as Partial<LedgerFile> & { version?: unknown; tasks?: unknown };
  if (typeof obj.version !== 'number' || !Number.isInteger(obj.version) || obj.version < 1) {
    throw new CorruptLedgerError(`The task ledger has no valid format version (${String(obj.version)}).`);
  }
  const entries: unknown[] = Array.isArray(obj.tasks) ? obj.tasks : [];
  const tasks = entries.filter(isRecord);
  const unreadable = [...entries.filter((t) => !isRecord(t)), ...(Array.isArray(obj.unreadable) ? obj.unreadable : [])];
  const file: LedgerFile = { version: LEDGER_VERSION, tasks, unreadable, removed: obj.removed ?? {}, durations: obj.durations ?? {} };
  return { file, malformed: unreadable.length, ...(obj.version > LEDGER_VERSION ? { newerVersion: obj.version } : {}) };
}

function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

/** Read errors that pass: a virus scanner or sync tool holding the file, too many open files. */
const TRANSIENT_READ = new Set(['EMFILE', 'ENFILE', 'EBUSY', 'EACCES', 'EPERM', 'EAGAIN']);
const READ_ATTEMPTS = 5;
/** A lock file dated this far ahead of now was not written by a live window's clock: it is stale. */
const LOCK_FUTURE_TOLERANCE_MS = 2000;

export class TaskLedger {
  private records = new Map<string, TaskRecord>();
  private removed: Record<string, number> = {};
  private durationSamples: Record<string, DurationSample[]> = {};
  private chain: Promise<unknown> = Promise.resolve();
  private readonly changes = new Emitter<string>();
  private readonly clock: Clock;
  private readonly lockPath: string;
  private readonly lockStaleMs: number;
  private readonly lockWaitMs: number;
  /** What this window wrote into the lock file it holds, so it never removes another window's. */
  private lockToken: string | undefined;
  private unreadable: unknown[] = [];
  private newerVersion: number | undefined;
  private malformedReported = 0;

  private constructor(readonly filePath: string, private readonly opts: TaskLedgerOptions) {
    this.clock = opts.clock ?? systemClock;
    this.lockPath = `${filePath}.lock`;
    this.lockStaleMs = opts.lockStaleMs ?? 15_000;
    this.lockWaitMs = opts.lockWaitMs ?? 10_000;
  }

  /** Set when the file belongs to a newer version of the extension: reads work, writes throw. */
  get readOnlyVersion(): number | undefined {
    return this.newerVersion;
  }

  static async open(filePath: string, opts: TaskLedgerOptions = {}): Promise<TaskLedger> {
    const ledger = new TaskLedger(path.resolve(filePath), opts);
    await fs.mkdir(path.dirname(ledger.filePath), { recursive: true });
    await ledger.reload();
    return ledger;
  }

  all(): TaskRecord[] {
    return [...this.records.values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  get(id: string): TaskRecord | undefined {
    return this.records.get(id);
  }

  async add(rec: TaskRecord): Promise<void> {
    await this.transact((draft) => {
      if (draft.get(rec.id)) throw new Error(`Task ${rec.id} is already in the ledger.`);
      draft.put(rec);
    });
  }

  async update(id: string, change: (rec: TaskRecord) => TaskRecord): Promise<TaskRecord> {
    return this.transact((draft) => {
      const current = draft.get(id);
      if (!current) throw new Error(`Task ${id} is not in the ledger.`);
      return draft.put(change(structuredClone(current)));
    });
  }

  async remove(id: string): Promise<void> {
    await this.transact((draft) => draft.delete(id));
  }

  /** Re-reads the file (another window may have written) and reports what changed. */
  async reload(): Promise<void> {
    await this.serialised(async () => {
      const changed = this.merge(await this.readFile());
      for (const id of changed) this.changes.fire(id);
    });
  }

  onDidChange(listener: (id: string) => void): { dispose(): void } {
    return this.changes.on(listener);
  }

  /** Recent run times (ms) of completed tasks of a catalog model, oldest first. */
  durations(model: string): number[] {
    return (this.durationSamples[model] ?? []).map((s) => s.ms);
  }

  async recordDuration(model: string, taskId: string, ms: number): Promise<void> {
    await this.transact((draft) => draft.addDuration(model, { taskId, ms, at: this.clock.now() }));
  }

  /**
   * Takes ownership of the records `want` selects that nobody owns, whose owner's heartbeat is older than
   * `staleMs`, or that `ownerId` already owns (refreshing the heartbeat). Runs under the file lock on the
   * freshest data, so of two windows claiming at once exactly one gets each task.
   */
  async claim(ownerId: string, staleMs: number, want: (rec: TaskRecord) => boolean): Promise<TaskRecord[]> {
    return this.transact((draft) => {
      const now = this.clock.now();
      const claimed: TaskRecord[] = [];
      for (const rec of draft.all()) {
        if (!want(rec)) continue;
        const owner = rec.owner;
        if (owner && owner.id !== ownerId && !isStaleHeartbeat(owner.heartbeatAt, now, staleMs)) continue;
        claimed.push(draft.put({ ...rec, owner: { id: ownerId, heartbeatAt: now } }));
      }
      return claimed;
    });
  }

  /**
   * Runs `fn` on the freshest merged state under the cross-window lock and writes the result atomically.
   * Listeners hear about every record that changed, whoever changed it.
   */
  async transact<T>(fn: (draft: LedgerDraft) => T): Promise<T> {
    return this.serialised(async () => {
      if (this.newerVersion !== undefined) throw new LedgerReadOnlyError(this.newerVersion);
      await this.lock();
      try {
        const changedByOthers = this.merge(await this.readFile());
        // The file may have been replaced by a newer version's while this window waited for the lock.
        if (this.newerVersion !== undefined) throw new LedgerReadOnlyError(this.newerVersion);
        const records = new Map([...this.records].map(([k, v]) => [k, structuredClone(v)]));
        const removed = { ...this.removed };
        const durations = structuredClone(this.durationSamples);
        const touched = new Set<string>();
        let dirty = false;
        const draft: LedgerDraft = {
          get: (id) => records.get(id),
          all: () => [...records.values()],
          put: (rec) => {
            const stamped = this.stamp(records.get(rec.id), rec);
            records.set(rec.id, stamped);
            delete removed[rec.id];
            touched.add(rec.id);
            dirty = true;
            return structuredClone(stamped);
          },
          delete: (id) => {
            if (!records.delete(id)) return;
            removed[id] = this.clock.now();
            touched.add(id);
            dirty = true;
          },
          addDuration: (model, sample) => {
            const list = (durations[model] ?? []).filter((s) => s.taskId !== sample.taskId);
            list.push(sample);
            durations[model] = list.sort((a, b) => a.at - b.at).slice(-DURATION_SAMPLES);
            dirty = true;
          },
        };
        let result: T;
        try {
          result = fn(draft);
        } catch (e) {
          for (const id of changedByOthers) this.changes.fire(id);
          throw e;
        }
        if (dirty) {
          const now = this.clock.now();
          for (const [id, at] of Object.entries(removed)) if (now - at > TOMBSTONE_TTL_MS) delete removed[id];
          await this.writeFile({ version: LEDGER_VERSION, tasks: [...records.values()], ...(this.unreadable.length ? { unreadable: this.unreadable } : {}), removed, durations });
          this.records = records;
          this.removed = removed;
          this.durationSamples = durations;
        }
        for (const id of new Set([...changedByOthers, ...touched])) this.changes.fire(id);
        return result;
      } finally {
        await this.unlock();
      }
    });
  }

  /** Keeps `updatedAt` strictly increasing (merge relies on it) and logs every state change. */
  private stamp(prev: TaskRecord | undefined, next: TaskRecord): TaskRecord {
    const now = this.clock.now();
    const updatedAt = prev ? Math.max(now, prev.updatedAt + 1) : Math.max(now, next.updatedAt);
    const history = [...next.history];
    const last = history[history.length - 1];
    if ((prev === undefined || prev.state !== next.state) && last?.state !== next.state) {
      history.push({ state: next.state, at: now });
    }
    return { ...next, updatedAt, history };
  }

  /** Folds a file's content into memory; returns the ids whose record changed. */
  private merge(file: LedgerFile): string[] {
    const removed = { ...this.removed };
    for (const [id, at] of Object.entries(file.removed ?? {})) removed[id] = Math.max(removed[id] ?? 0, at);
    const merged = new Map<string, TaskRecord>();
    const consider = (rec: TaskRecord): void => {
      const gone = removed[rec.id];
      if (gone !== undefined && gone >= rec.updatedAt) return;
      const have = merged.get(rec.id);
      if (!have || rec.updatedAt > have.updatedAt) merged.set(rec.id, rec);
    };
    for (const rec of this.records.values()) consider(rec);
    for (const rec of file.tasks) consider(rec);

    const changed: string[] = [];
    for (const [id, rec] of merged) {
      const before = this.records.get(id);
      if (!before || JSON.stringify(before) !== JSON.stringify(rec)) changed.push(id);
    }
    for (const id of this.records.keys()) if (!merged.has(id)) changed.push(id);

    const durations = structuredClone(this.durationSamples);
    for (const [model, samples] of Object.entries(file.durations ?? {})) {
      const byTask = new Map((durations[model] ?? []).map((s) => [s.taskId, s]));
      for (const s of samples) byTask.set(s.taskId, s);
      durations[model] = [...byTask.values()].sort((a, b) => a.at - b.at).slice(-DURATION_SAMPLES);
    }

    this.records = merged;
    this.removed = removed;
    this.durationSamples = durations;
    return changed;
  }

  private async readFile(): Promise<LedgerFile> {
    const text = await this.readText();
    if (text === undefined) return { version: LEDGER_VERSION, tasks: [] };
    let parsed: ParsedLedger;
    try {
      parsed = parseLedger(text);
    } catch (e) {
      if (e instanceof CorruptLedgerError) return this.setAside(e);
      throw e;
    }
    if (parsed.newerVersion !== undefined && this.newerVersion === undefined) {
      this.newerVersion = parsed.newerVersion;
      this.opts.onNewerVersion?.(parsed.newerVersion);
    }
    this.unreadable = parsed.file.unreadable ?? [];
    if (parsed.malformed > this.malformedReported) this.opts.onMalformedEntries?.(parsed.malformed);
    this.malformedReported = parsed.malformed;
    return parsed.file;
  }

  /**
   * The file's text, or undefined when there is none yet. A transient error is retried, then thrown
   * and reported: a file that cannot be read right now is not a corrupt one.
   */
  private async readText(): Promise<string | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fs.readFile(this.filePath, 'utf8');
      } catch (e) {
        const code = errnoCode(e);
        if (code === 'ENOENT') return undefined;
        if (!TRANSIENT_READ.has(code ?? '') || attempt >= READ_ATTEMPTS) {
          const error = new Error(`The task history ${this.filePath} cannot be read right now (${code ?? String(e)}); nothing was changed.`, { cause: e });
          this.opts.onReadError?.(error);
          throw error;
        }
        // Real time on purpose: this waits for another process to let go of the file.
        await sleep(50 * 2 ** attempt);
      }
    }
  }

  /** Keeps an unreadable file for the user to inspect and starts afresh, instead of failing forever. */
  private async setAside(error: Error): Promise<LedgerFile> {
    const backup = `${this.filePath}.corrupt-${this.clock.now()}-${randomBytes(3).toString('hex')}`;
    try {
      await fs.rename(this.filePath, backup);
    } catch (e) {
      // Another window set it aside first; that window reports it.
      if (errnoCode(e) === 'ENOENT') return { version: LEDGER_VERSION, tasks: [] };
      throw e;
    }
    this.opts.onCorrupt?.(backup, error);
    return { version: LEDGER_VERSION, tasks: [] };
  }

  private async writeFile(data: LedgerFile): Promise<void> {
    const tmp = `${this.filePath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const handle = await fs.open(tmp, 'w');
    try {
      await handle.writeFile(JSON.stringify(data, null, 1), 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.rename(tmp, this.filePath);
    } catch (e) {
      await fs.rm(tmp, { force: true });
      throw e;
    }
  }

  /** One operation at a time within this window. */
  private serialised<T>(op: () => Promise<T>): Promise<T> {
    const run = this.chain.then(op, op);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * One writer at a time across windows: an O_EXCL lock file holding a token of this window's; a dead
   * window's lock is taken over. The wait is bounded: a write that cannot get the lock fails (and the
   * caller's retry rules apply) instead of hanging the window.
   */
  private async lock(): Promise<void> {
    // Wall-clock time on purpose: this waits for another process's file I/O, not for anything scheduled.
    const deadline = Date.now() + this.lockWaitMs;
    for (let attempt = 0; ; attempt++) {
      const token = `${process.pid} ${randomBytes(8).toString('hex')}`;
      try {
        const handle = await fs.open(this.lockPath, 'wx');
        try {
          await handle.writeFile(`${token}\n`);
        } finally {
          await handle.close();
        }
        this.lockToken = token;
        return;
      } catch (e) {
        if (errnoCode(e) !== 'EEXIST') throw e;
      }
      await this.breakStaleLock();
      if (Date.now() > deadline) {
        throw new Error(`The task history is locked by another VS Code window (${this.lockPath}); gave up after ${Math.round(this.lockWaitMs / 1000)} s.`);
      }
      await sleep(Math.min(50, 2 + attempt * 2) + Math.random() * 5);
    }
  }

  private async breakStaleLock(): Promise<void> {
    let mtime: number;
    try {
      mtime = (await fs.stat(this.lockPath)).mtimeMs;
    } catch {
      return;
    }
    // Dated in the future: written under a clock that was set back since (or another machine's), so
    // its age says nothing; waiting for it to "expire" could block every write for hours.
    const age = Date.now() - mtime;
    if (age <= this.lockStaleMs && age >= -LOCK_FUTURE_TOLERANCE_MS) return;
    // Renaming first means only one of several waiting windows removes the stale lock.
    const aside = `${this.lockPath}.stale-${randomBytes(4).toString('hex')}`;
    try {
      await fs.rename(this.lockPath, aside);
      await fs.rm(aside, { force: true });
    } catch {
      // Someone else took it over or released it; the next attempt will tell.
    }
  }

  /** Removes the lock only if it is still this window's: another may have broken it as stale meanwhile. */
  private async unlock(): Promise<void> {
    const token = this.lockToken;
    this.lockToken = undefined;
    if (token === undefined) return;
    let held: string;
    try {
      held = (await fs.readFile(this.lockPath, 'utf8')).trim();
    } catch {
      return;
    }
    if (held === token) await fs.rm(this.lockPath, { force: true });
  }
}

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { findModel } from '../models/catalog';
import { systemClock, type Clock } from './clock';
import { KieError, isKieError } from '../kie/errors';
import { requestNeverSent } from '../kie/http';
import type { TaskLedger } from './ledger';
import { chooseVideoPath, claimNamedVideoPath, sidecarPathFor } from '../media/outputNaming';
import { PollScheduler, adaptivePolicy, expectedDurationMs, type PollPolicy, type PollResult } from './scheduler';
import { buildSidecar, readSidecar, writeSidecar } from '../media/sidecar';
import { ACTIVE_STATES, type LocalTaskState, type TaskError, type TaskOrigin, type TaskRecord } from './task';
import type { ApiFamily, GenerationRequest, TaskSnapshot } from '../types';

/**
 * The whole life of a task: upload → ledger → createTask → polling → download → sidecar. The ledger is
 * written before anything waits, so whatever happens to this window, a paid-for video is never lost.
 */

/** The part of KieClient the task flow needs (KieClient satisfies it; tests pass a fake). */
export interface TaskClient {
  createTask(req: GenerationRequest, signal?: AbortSignal): Promise<string>;
  getTask(family: ApiFamily, taskId: string, signal?: AbortSignal): Promise<TaskSnapshot>;
  uploadImage(filePath: string, signal?: AbortSignal): Promise<string>;
  download(
    url: string,
    targetPath: string,
    opts?: { signal?: AbortSignal; maxBytes?: number; onProgress?: (received: number, total?: number) => void },
  ): Promise<{ path: string; bytes: number }>;
  refreshDownloadUrl(url: string, signal?: AbortSignal): Promise<string>;
}

export interface SubmitInput {
  request: GenerationRequest;
  imagePath?: string;
  outputDir: string;
  /** Names the video (`intro` gives `intro.mp4`); the take already there is kept under its task's name. */
  outputName?: string;
  origin?: TaskOrigin;
}

export type TaskEvent =
  | { type: 'updated'; task: TaskRecord }
  | { type: 'completed'; task: TaskRecord }
  | { type: 'failed'; task: TaskRecord }
  | { type: 'overdue'; task: TaskRecord };

export interface TaskServiceOptions {
  ledger: TaskLedger;
  /** The client for the current key, or undefined when no key is set (work then waits and retries). */
  client: () => TaskClient | undefined;
  clock?: Clock;
  /** Identifies this window in the ledger's owner records. Unique per window session. */
  ownerId: string;
  /** Default 10 (Kie's limit per key). */
  maxRequestsPerSecond?: number;
  /** Poll policy (default adaptivePolicy()). */
  policy?: PollPolicy;
  /** Window the request budget is counted over (default 1050 ms). */
  rateWindowMs?: number;
  /** Backoff of a task whose poll failed (default 2 s doubling to 60 s). */
  pollBackoff?: { baseMs?: number; maxMs?: number };
  /** How often this window refreshes its owner heartbeats and looks for abandoned tasks (default 10 s). */
  heartbeatMs?: number;
  /** A task whose owner has not beaten for this long is taken over (default 30 s). */
  staleOwnerMs?: number;
  /** Download retries: default 5 s doubling to 5 min, failed for good (but resumable) after 8 attempts. */
  downloadRetry?: { baseMs?: number; maxMs?: number; maxAttempts?: number };
  /** A task is overdue past max(factor × expected, minMs) (default 3 × and 5 min). */
  overdue?: { factor?: number; minMs?: number };
  /** Overrides the learned expected run time of a model (tests against a fast simulator). */
  expectedMs?: (model: string) => number;
  /** Unknown task ids are given up after this many consecutive "not found" answers (default 10). */
  maxNotFound?: number;
  /**
   * Task creations allowed per 10 s (default 20, Kie's account limit, beyond which Kie refuses with 429
   * rather than queueing). Further submissions wait their turn.
   */
  maxCreatesPer10s?: number;
  /** Downloads running at once (default 3); the rest wait their turn. */
  maxConcurrentDownloads?: number;
}

/** Kie allows 20 creations per 10 s per account; a margin absorbs clock skew and network jitter. */
const CREATE_WINDOW_MS = 10_500;
const RUNNING: readonly LocalTaskState[] = ['queued', 'generating'];
const DOWNLOADABLE: readonly LocalTaskState[] = ['succeeded', 'downloading'];

function toTaskError(e: unknown): TaskError {
  if (isKieError(e)) {
    return { kind: e.kind, message: e.message, ...(e.detail ? { detail: e.detail } : {}), ...(e.failCode ? { failCode: e.failCode } : {}) };
  }
  return { kind: 'badResponse', message: e instanceof Error ? e.message : String(e) };
}

/** Whether a failed createTask may nevertheless have created (and charged for) a task at Kie. */
function mayHaveReachedKie(e: unknown): boolean {
  if (!isKieError(e)) return true;
  if (e.kind === 'timeout' || e.kind === 'badResponse' || e.kind === 'cancelled') return true;
  if (e.kind === 'network') return !requestNeverSent(e);
  return false;
}

function isExpiredUrl(e: unknown): boolean {
  return isKieError(e) && (e.kind === 'downloadFailed' || e.kind === 'notFound') && [401, 403, 404, 410].includes(e.httpStatus ?? 0);
}

export class TaskService {
  private readonly ledger: TaskLedger;
  private readonly clock: Clock;
  private readonly scheduler: PollScheduler;
  private readonly listeners = new Set<(e: TaskEvent) => void>();
  private readonly work = new Set<Promise<unknown>>();
  private readonly submitting = new Set<string>();
  private readonly downloads = new Map<string, AbortController>();
  private readonly downloadTimers = new Map<string, unknown>();
  private readonly downloadFailures = new Map<string, number>();
  private readonly notFound = new Map<string, number>();
  /** Creations still inside Kie's window: `freeAt` is Infinity while the request is in flight. */
  private readonly creations: { freeAt: number }[] = [];
  private readonly slotWaiters = new Set<() => void>();
  private readonly ledgerSubscription: { dispose(): void };
  private readonly lastAnnounced = new Map<string, string>();
  private readonly downloadQueue: string[] = [];
  private heartbeatTimer: unknown;
  private disposed = false;

  constructor(private readonly opts: TaskServiceOptions) {
    this.ledger = opts.ledger;
    this.clock = opts.clock ?? systemClock;
    this.scheduler = new PollScheduler({
      poll: (id) => this.pollOnce(id),
      clock: this.clock,
      policy: opts.policy ?? adaptivePolicy(),
      maxRequestsPerSecond: opts.maxRequestsPerSecond ?? 10,
      rateWindowMs: opts.rateWindowMs,
      backoff: opts.pollBackoff,
    });
    this.ledgerSubscription = this.ledger.onDidChange((id) => {
      const task = this.ledger.get(id);
      if (!task) {
        this.lastAnnounced.delete(id);
        return;
      }
      // Heartbeats rewrite the owner every few seconds; listeners only care about what they can show.
      const visible = JSON.stringify({ ...task, owner: undefined, updatedAt: undefined });
      if (this.lastAnnounced.get(id) === visible) return;
      this.lastAnnounced.set(id, visible);
      this.emit({ type: 'updated', task });
    });
  }

  async submit(input: SubmitInput): Promise<TaskRecord> {
    const client = this.requireClient();
    let request = input.request;
    if (input.imagePath && !request.imageUrls?.length) {
      request = { ...request, imageUrls: [await client.uploadImage(input.imagePath)] };
    }
    // Waiting for the budget is not "work in progress": idle() must not wait on the clock.
    const release = await this.createSlot();
    // Without heartbeats another window would take this task over after staleOwnerMs.
    if (this.heartbeatTimer === undefined) this.armHeartbeat();
    const submission = this.send(client, request, input).finally(release);
    this.track(submission);
    return submission;
  }

  private async send(client: TaskClient, request: GenerationRequest, input: SubmitInput): Promise<TaskRecord> {
    const now = this.clock.now();
    const id = `t-${now.toString(36)}-${randomBytes(4).toString('hex')}`;
    const record: TaskRecord = {
      id,
      model: request.model,
      family: findModel(request.model)?.family ?? 'jobs',
      request,
      ...(input.imagePath ? { sourceImage: input.imagePath } : {}),
      outputDir: path.resolve(input.outputDir),
      ...(input.outputName ? { outputName: input.outputName } : {}),
      ...(input.origin ? { origin: input.origin } : {}),
      createdAt: now,
      updatedAt: now,
      state: 'submitting',
      history: [],
      owner: { id: this.opts.ownerId, heartbeatAt: now },
    };
    await this.ledger.add(record);
    this.submitting.add(id);
    let taskId: string;
    try {
      taskId = await client.createTask(request);
    } catch (e) {
      const unknown = mayHaveReachedKie(e);
      const error: TaskError = unknown
        ? {
            ...toTaskError(e),
            message: `Kie's answer to the request never arrived (${e instanceof Error ? e.message : String(e)}). The task may or may not exist at Kie; it was not sent again, to avoid paying twice.`,
          }
        : toTaskError(e);
      const task = await this.ledger.update(id, (r) => ({ ...r, state: unknown ? 'unknown' : 'failed', error }));
      if (task.state === 'failed') this.emit({ type: 'failed', task });
      throw e;
    } finally {
      this.submitting.delete(id);
    }
    let queued: TaskRecord;
    try {
      queued = await this.ledger.update(id, (r) => ({ ...r, taskId, state: 'queued', owner: { id: this.opts.ownerId, heartbeatAt: this.clock.now() } }));
    } catch (e) {
      throw new Error(`Kie accepted task ${taskId}, but the task history could not be saved: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    this.startPolling(queued, undefined);
    return queued;
  }

  /** On activation: settle crashed submissions, claim abandoned tasks and carry on with them. */
  resumeAll(): void {
    if (this.disposed) return;
    this.track(this.claimAndRun(true));
    if (this.heartbeatTimer === undefined) this.armHeartbeat();
  }

  async stop(id: string): Promise<void> {
    this.halt(id);
    await this.transition(id, [...ACTIVE_STATES], (r) => ({ ...r, state: 'stopped' }));
  }

  async resume(id: string): Promise<void> {
    const rec = this.ledger.get(id);
    if (!rec) throw new Error(`Task ${id} is not in the task history.`);
    const resumable =
      rec.taskId !== undefined &&
      (rec.state === 'stopped' || (rec.state === 'failed' && (!!rec.resultUrls?.length || rec.error?.kind === 'notFound')));
    if (!resumable) throw new Error(`Task ${id} (${rec.state}) cannot be resumed.`);
    this.downloadFailures.delete(id);
    this.notFound.delete(id);
    const next = await this.transition(id, ['stopped', 'failed'], (r) => ({
      ...r,
      state: r.resultUrls?.length ? 'succeeded' : 'queued',
      error: undefined,
      owner: { id: this.opts.ownerId, heartbeatAt: this.clock.now() },
    }));
    if (next) this.run(next, true);
  }

  async remove(id: string): Promise<void> {
    this.halt(id);
    await this.ledger.remove(id);
  }

  running(): TaskRecord[] {
    return this.ledger.all().filter((r) => r.state === 'submitting' || ACTIVE_STATES.has(r.state));
  }

  onEvent(listener: (e: TaskEvent) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /** Resolves once nothing this service started is still running (tests and benchmarks). */
  async idle(): Promise<void> {
    for (;;) {
      await this.scheduler.idle();
      if (!this.work.size) return;
      await Promise.allSettled([...this.work]);
    }
  }

  /** The poll scheduler's request counters (benchmarks, diagnostics). */
  get requestStats(): { requests: number; rateLimited: number; errors: number } {
    return { ...this.scheduler.stats };
  }

  /**
   * Stops all work. Ownership of unfinished tasks is handed back in the ledger, so the next window (or
   * this one after a reload) carries on at once instead of waiting for the heartbeat to go stale.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.scheduler.dispose();
    if (this.heartbeatTimer !== undefined) this.clock.clearTimeout(this.heartbeatTimer);
    for (const t of this.downloadTimers.values()) this.clock.clearTimeout(t);
    this.downloadTimers.clear();
    for (const ac of this.downloads.values()) ac.abort();
    for (const wake of [...this.slotWaiters]) wake();
    this.ledgerSubscription.dispose();
    this.listeners.clear();
    this.track(
      this.ledger.transact((draft) => {
        for (const r of draft.all()) if (this.owns(r) && r.state !== 'submitting') draft.put({ ...r, owner: undefined });
      }),
    );
  }

  private emit(e: TaskEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch {
        // One listener's bug must not stop the others or the task.
      }
    }
  }

  private track<T>(p: Promise<T>): void {
    const tracked = p.catch(() => undefined).finally(() => this.work.delete(tracked));
    this.work.add(tracked);
  }

  private requireClient(): TaskClient {
    const client = this.opts.client();
    if (!client) throw new KieError({ kind: 'unauthorized', message: 'No Kie API key is set.' });
    return client;
  }

  /**
   * Waits until a createTask fits in Kie's per-account creation budget, then books it. Kie counts a
   * creation when it arrives, somewhere between our sending and its answer, so a booking holds from
   * the send until a full window after the answer. Returns the release to call once Kie answered.
   */
  private async createSlot(): Promise<() => void> {
    const max = Math.max(1, this.opts.maxCreatesPer10s ?? 20);
    for (;;) {
      if (this.disposed) throw new KieError({ kind: 'cancelled', message: 'The task service was closed before the task was sent.' });
      const now = this.clock.now();
      for (let i = this.creations.length - 1; i >= 0; i--) if (this.creations[i].freeAt <= now) this.creations.splice(i, 1);
      if (this.creations.length < max) {
        const booking = { freeAt: Infinity };
        this.creations.push(booking);
        return () => {
          booking.freeAt = this.clock.now() + CREATE_WINDOW_MS;
          for (const wake of [...this.slotWaiters]) wake();
        };
      }
      const soonest = Math.min(...this.creations.map((c) => c.freeAt));
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.slotWaiters.delete(wake);
          if (timer !== undefined) this.clock.clearTimeout(timer);
          resolve();
        };
        const timer = Number.isFinite(soonest) ? this.clock.setTimeout(wake, soonest - now) : undefined;
        this.slotWaiters.add(wake);
      });
    }
  }

  private expectedMs(model: string): number {
    return this.opts.expectedMs?.(model) ?? expectedDurationMs(findModel(model)?.typicalSeconds ?? 120, this.ledger.durations(model));
  }

  /** Changes a record only if it is still in one of `from` (another path may have moved it meanwhile). */
  private async transition(id: string, from: readonly LocalTaskState[], change: (r: TaskRecord) => TaskRecord): Promise<TaskRecord | undefined> {
    return this.ledger.transact((draft) => {
      const rec = draft.get(id);
      if (!rec || !from.includes(rec.state)) return undefined;
      return draft.put(change(structuredClone(rec)));
    });
  }

  private owns(rec: TaskRecord): boolean {
    return rec.owner?.id === this.opts.ownerId;
  }

  private isBusy(id: string): boolean {
    return this.scheduler.has(id) || this.downloads.has(id) || this.downloadTimers.has(id) || this.downloadQueue.includes(id);
  }

  private halt(id: string): void {
    this.scheduler.remove(id);
    this.downloads.get(id)?.abort();
    const queued = this.downloadQueue.indexOf(id);
    if (queued >= 0) this.downloadQueue.splice(queued, 1);
    const timer = this.downloadTimers.get(id);
    if (timer !== undefined) this.clock.clearTimeout(timer);
    this.downloadTimers.delete(id);
  }

  private run(rec: TaskRecord, immediately: boolean): void {
    if (this.disposed || this.isBusy(rec.id)) return;
    if (RUNNING.includes(rec.state)) this.startPolling(rec, immediately ? 0 : undefined);
    else if (DOWNLOADABLE.includes(rec.state)) this.startDownload(rec.id);
  }

  private startPolling(rec: TaskRecord, firstDelayMs: number | undefined): void {
    if (this.disposed) return;
    this.scheduler.add(rec.id, { startedAt: rec.createdAt, expectedMs: this.expectedMs(rec.model), firstDelayMs });
  }

  private armHeartbeat(): void {
    if (this.disposed) return;
    const interval = this.opts.heartbeatMs ?? 10_000;
    this.heartbeatTimer = this.clock.setTimeout(() => {
      this.track(this.claimAndRun(false));
      this.armHeartbeat();
    }, interval);
  }

  private async claimAndRun(startup: boolean): Promise<void> {
    if (this.disposed) return;
    await this.ledger.reload();
    const staleMs = this.opts.staleOwnerMs ?? 30_000;
    const now = this.clock.now();
    const crashed = this.ledger
      .all()
      .filter(
        (r) =>
          r.state === 'submitting' &&
          !this.submitting.has(r.id) &&
          (!r.owner || r.owner.id === this.opts.ownerId || now - r.owner.heartbeatAt > staleMs),
      );
    for (const r of crashed) {
      const task = await this.transition(r.id, ['submitting'], (x) => ({
        ...x,
        state: 'unknown',
        error: {
          kind: 'timeout',
          message: 'VS Code closed before Kie answered the request. The task may or may not exist at Kie; it was not sent again, to avoid paying twice.',
        },
      }));
      if (task) this.emit({ type: 'failed', task });
    }
    if (this.disposed) return;
    const claimed = await this.ledger.claim(
      this.opts.ownerId,
      staleMs,
      (r) => (ACTIVE_STATES.has(r.state) && r.taskId !== undefined) || (r.state === 'submitting' && this.submitting.has(r.id)),
    );
    if (this.disposed) return;
    const mine = new Set(claimed.map((r) => r.id));
    // Another window took a task over while this one looked dead (e.g. the machine slept): let it go.
    for (const r of this.ledger.all()) if (!mine.has(r.id) && this.isBusy(r.id) && r.owner && !this.owns(r)) this.halt(r.id);
    for (const r of claimed) this.run(r, startup);
  }

  private async pollOnce(id: string): Promise<PollResult> {
    const rec = this.ledger.get(id);
    if (this.disposed || !rec?.taskId || !RUNNING.includes(rec.state) || !this.owns(rec)) return 'done';
    let snap: TaskSnapshot;
    try {
      snap = await this.requireClient().getTask(rec.family, rec.taskId);
    } catch (e) {
      if (this.disposed) return 'done';
      if (isKieError(e) && e.kind === 'notFound') return this.onNotFound(id, e);
      throw e;
    }
    if (this.disposed) return 'done';
    this.notFound.delete(id);
    switch (snap.status) {
      case 'queued':
      case 'generating': {
        const state = snap.status;
        const cur = this.ledger.get(id);
        if (cur && cur.state !== state) {
          await this.transition(id, RUNNING, (r) => ({ ...r, state, history: [...r.history, { state, at: this.clock.now(), note: snap.rawState }] }));
        }
        await this.checkOverdue(id);
        return 'continue';
      }
      case 'success': {
        if (!snap.resultUrls.length) {
          await this.fail(id, RUNNING, { kind: 'badResponse', message: `Kie reported task ${rec.taskId} finished but gave no video URL.` });
          return 'done';
        }
        const now = this.clock.now();
        const done = await this.transition(id, RUNNING, (r) => ({
          ...r,
          state: 'succeeded',
          resultUrls: snap.resultUrls,
          ...(snap.costTimeMs !== undefined ? { costTimeMs: snap.costTimeMs } : {}),
          error: undefined,
          history: [...r.history, { state: 'succeeded', at: now, note: snap.rawState }],
        }));
        if (done?.taskId) {
          const ms = snap.costTimeMs && snap.costTimeMs > 0 ? snap.costTimeMs : now - done.createdAt;
          await this.ledger.recordDuration(done.model, done.taskId, ms);
          this.startDownload(id);
        }
        return 'done';
      }
      case 'failed':
        await this.fail(id, RUNNING, {
          kind: 'generationFailed',
          message: `Kie could not generate task ${rec.taskId}: ${snap.failMsg || 'no reason given'}${snap.failCode ? ` (code ${snap.failCode})` : ''}.`,
          ...(snap.failMsg ? { detail: snap.failMsg } : {}),
          ...(snap.failCode ? { failCode: snap.failCode } : {}),
        });
        return 'done';
    }
  }

  private async onNotFound(id: string, e: KieError): Promise<PollResult> {
    // Kie briefly answers "not found" for a task it just created, so only a run of them counts.
    const n = (this.notFound.get(id) ?? 0) + 1;
    this.notFound.set(id, n);
    if (n < (this.opts.maxNotFound ?? 10)) throw e;
    this.notFound.delete(id);
    await this.fail(id, RUNNING, { ...toTaskError(e), message: `Kie does not know task ${this.ledger.get(id)?.taskId ?? id}: ${e.message}` });
    return 'done';
  }

  private async fail(id: string, from: readonly LocalTaskState[], error: TaskError): Promise<void> {
    const task = await this.transition(id, from, (r) => ({ ...r, state: 'failed', error }));
    if (task) this.emit({ type: 'failed', task });
  }

  private async checkOverdue(id: string): Promise<void> {
    const rec = this.ledger.get(id);
    if (!rec || rec.overdueNotifiedAt !== undefined) return;
    const factor = this.opts.overdue?.factor ?? 3;
    const minMs = this.opts.overdue?.minMs ?? 5 * 60_000;
    const now = this.clock.now();
    if (now - rec.createdAt <= Math.max(factor * this.expectedMs(rec.model), minMs)) return;
    const task = await this.transition(id, RUNNING, (r) => (r.overdueNotifiedAt === undefined ? { ...r, overdueNotifiedAt: now } : r));
    if (task && task.overdueNotifiedAt === now) this.emit({ type: 'overdue', task });
  }

  /** Starts a download, or queues it while the maximum number already run (100 tasks may end at once). */
  private startDownload(id: string): void {
    if (this.disposed || this.downloads.has(id) || this.downloadQueue.includes(id)) return;
    const timer = this.downloadTimers.get(id);
    if (timer !== undefined) this.clock.clearTimeout(timer);
    this.downloadTimers.delete(id);
    if (this.downloads.size >= Math.max(1, this.opts.maxConcurrentDownloads ?? 3)) {
      this.downloadQueue.push(id);
      return;
    }
    const ac = new AbortController();
    this.downloads.set(id, ac);
    this.track(
      this.downloadOnce(id, ac.signal).finally(() => {
        this.downloads.delete(id);
        const next = this.downloadQueue.shift();
        if (next !== undefined) this.startDownload(next);
      }),
    );
  }

  private async downloadOnce(id: string, signal: AbortSignal): Promise<void> {
    const rec = this.ledger.get(id);
    if (!rec?.taskId || !rec.resultUrls?.length || !DOWNLOADABLE.includes(rec.state) || !this.owns(rec)) return;
    const taskId = rec.taskId;
    try {
      const client = this.requireClient();
      const started = await this.transition(id, DOWNLOADABLE, (r) => ({ ...r, state: 'downloading' }));
      if (!started || signal.aborted) return;
      await fs.mkdir(rec.outputDir, { recursive: true });
      const target = await this.videoPath(rec, taskId);
      await this.fetchVideo(client, rec.resultUrls[0], target, signal);
      if (signal.aborted) return;
      await writeSidecar(sidecarPathFor(target), buildSidecar(started, target, this.clock.now()));
      this.downloadFailures.delete(id);
      const task = await this.transition(id, ['downloading'], (r) => ({ ...r, state: 'completed', localFile: target, error: undefined }));
      if (task) this.emit({ type: 'completed', task });
    } catch (e) {
      if (this.disposed || signal.aborted) return;
      await this.onDownloadFailed(id, e);
    }
  }

  /**
   * Where a task's video goes. A named video (a prompt file's) takes the plain name; the take that had
   * it is renamed after its task, and its record follows, so the history still opens it.
   */
  private async videoPath(rec: TaskRecord, taskId: string): Promise<string> {
    if (!rec.outputName) return chooseVideoPath(rec.outputDir, rec.request.prompt, taskId, async (sidecar) => (await readSidecar(sidecar))?.taskId === taskId);
    const { target, displaced } = await claimNamedVideoPath(rec.outputDir, rec.outputName, taskId, async (sidecar) => (await readSidecar(sidecar))?.taskId);
    if (displaced) await this.movedVideo(displaced.from, displaced.to);
    return target;
  }

  /** Records that a video file was renamed (a take moved aside, or a variant kept). */
  async movedVideo(from: string, to: string): Promise<void> {
    await this.ledger.transact((draft) => {
      for (const r of draft.all()) if (r.localFile && path.resolve(r.localFile) === path.resolve(from)) draft.put({ ...r, localFile: to });
    });
  }

  /** Downloads, asking Kie for a fresh link once if the stored one has expired. */
  private async fetchVideo(client: TaskClient, url: string, target: string, signal: AbortSignal): Promise<void> {
    try {
      await client.download(url, target, { signal });
    } catch (e) {
      if (!isExpiredUrl(e) || signal.aborted) throw e;
      const fresh = await client.refreshDownloadUrl(url, signal);
      await client.download(fresh, target, { signal });
    }
  }

  private async onDownloadFailed(id: string, e: unknown): Promise<void> {
    const failures = (this.downloadFailures.get(id) ?? 0) + 1;
    this.downloadFailures.set(id, failures);
    const retry = this.opts.downloadRetry ?? {};
    const maxAttempts = retry.maxAttempts ?? 8;
    const cause = toTaskError(e);
    if (failures >= maxAttempts) {
      this.downloadFailures.delete(id);
      await this.fail(id, DOWNLOADABLE, {
        ...cause,
        kind: 'downloadFailed',
        message: `The video was generated but could not be downloaded after ${failures} attempts (${cause.message}). Resume the task to try again.`,
      });
      return;
    }
    // The result is paid for: the task stays "succeeded" and the download is tried again later.
    const back = await this.transition(id, DOWNLOADABLE, (r) => ({ ...r, state: 'succeeded', error: { ...cause, kind: 'downloadFailed' } }));
    if (!back || this.disposed) return;
    const delay = Math.min(retry.maxMs ?? 5 * 60_000, (retry.baseMs ?? 5000) * 2 ** (failures - 1));
    this.downloadTimers.set(
      id,
      this.clock.setTimeout(() => {
        this.downloadTimers.delete(id);
        this.startDownload(id);
      }, delay),
    );
  }
}

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import * as path from 'node:path';
import { checkAdoptableId, findAtKie } from './adoption';
import { findBundled } from '../models/bundledSpecs';
import { buildRequest, type ModelRequest } from '../models/requestBuilder';
import type { GenerationRequest, ImageChoices, ModelSpec } from '../models/spec';
import { systemClock, type Clock } from './clock';
import { KieError, isKieError } from '../kie/errors';
import type { TaskLedger } from './ledger';
import { chooseVideoPath, claimNamedVideoPath, sidecarPathFor } from '../media/outputNaming';
import { PollScheduler, adaptivePolicy, expectedDurationMs, type PollPolicy, type PollResult } from './scheduler';
import { buildSidecar, readSidecar, writeSidecar } from '../media/sidecar';
import {
  EMPTY_SUCCESS_REPOLLS,
  LEDGER_WRITE_DELAYS_MS,
  MAX_NOT_FOUND,
  POLL_FAILURES_BEFORE_TELLING,
  createMayHaveReachedKie,
  downloadRetryDelay,
  isExpiredUrl,
  pollNeedsUser,
  type DownloadRetry,
} from './retryRules';
import { CreationBudget } from './creationBudget';
import { DownloadQueue } from './downloadQueue';
import { Heartbeat, isStaleHeartbeat } from './ownership';
import { ACTIVE_STATES, isResumable, type LocalTaskState, type TaskError, type TaskOrigin, type TaskRecord } from './task';
import type { ApiFamily, TaskSnapshot } from '../types';

/**
 * The whole life of a task: upload → ledger → createTask → polling → download → sidecar. The ledger is
 * written before anything waits, so whatever happens to this window, a paid-for video is never lost.
 */

/** The part of KieClient the task flow needs (KieClient satisfies it; tests pass a fake). */
export interface TaskClient {
  createTask(family: ApiFamily, req: ModelRequest, signal?: AbortSignal): Promise<string>;
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
  /** Kie answered createTask with this taskId; fired before the ledger write, so it can be logged at once. */
  | { type: 'accepted'; task: TaskRecord }
  /** Polling this task keeps failing (or needs the user: key, credits); told once until a poll succeeds. */
  | { type: 'pollProblem'; task: TaskRecord; error: TaskError }
  | { type: 'updated'; task: TaskRecord }
  | { type: 'completed'; task: TaskRecord }
  | { type: 'failed'; task: TaskRecord }
  | { type: 'overdue'; task: TaskRecord };

export interface TaskServiceOptions {
  ledger: TaskLedger;
  /** The spec of a model id: the catalog's, bundled or built from Kie's live schema (default: bundled). */
  resolveSpec?: (model: string) => ModelSpec | undefined;
  /** Last look at a built request before it is sent (the live catalog drops fields Kie's schema no longer has). */
  prepare?: (spec: ModelSpec, req: ModelRequest) => ModelRequest;
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
  downloadRetry?: DownloadRetry;
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
  /** Waits between attempts to record an accepted taskId (default LEDGER_WRITE_DELAYS_MS). */
  ledgerRetryMs?: readonly number[];
  /** Downloads running at once (default 3); the rest wait their turn. */
  maxConcurrentDownloads?: number;
}

const RUNNING: readonly LocalTaskState[] = ['queued', 'generating'];
const DOWNLOADABLE: readonly LocalTaskState[] = ['succeeded', 'downloading'];

function toTaskError(e: unknown): TaskError {
  if (isKieError(e)) {
    return { kind: e.kind, message: e.message, ...(e.detail ? { detail: e.detail } : {}), ...(e.failCode ? { failCode: e.failCode } : {}) };
  }
  return { kind: 'badResponse', message: e instanceof Error ? e.message : String(e) };
}

const MAY_EXIST_MESSAGE =
  "Kie's answer to the request never arrived, so the task may or may not exist at Kie. It was not sent again, to avoid paying twice: look at the Sora view or Kie's logs before trying again.";

/** The error the caller of submit gets when the task may exist at Kie (never retried automatically). */
function mayExistError(cause: unknown): KieError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new KieError({ kind: 'mayExist', message: `${MAY_EXIST_MESSAGE} (${why})`, cause });
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export interface SubmitInput {
  /** The model and the user's choices; `images` are local file paths, uploaded by the service. */
  request: GenerationRequest;
  outputDir: string;
  /** Names the video (`intro` gives `intro.mp4`); default: the prompt's slug and the task id. */
  outputName?: string;
  origin?: TaskOrigin;
}

export class TaskService {
  private readonly ledger: TaskLedger;
  private readonly clock: Clock;
  private readonly scheduler: PollScheduler;
  private readonly listeners = new Set<(e: TaskEvent) => void>();
  private readonly work = new Set<Promise<unknown>>();
  private readonly submitting = new Set<string>();
  private readonly budget: CreationBudget;
  private readonly heartbeat: Heartbeat;
  private readonly downloads: DownloadQueue;
  private readonly downloadFailures = new Map<string, number>();
  /** Downloads of one named video (a prompt file's), chained so they claim the name one after another. */
  private readonly nameQueues = new Map<string, Promise<void>>();
  private readonly notFound = new Map<string, number>();
  private readonly emptySuccesses = new Map<string, number>();
  private readonly pollFailures = new Map<string, number>();
  /** Kinds of poll trouble the user was told about; cleared when a poll succeeds again. */
  private readonly troubleTold = new Set<string>();
  /** Kie's taskIds whose ledger write failed, by local id: kept here and written on every heartbeat. */
  private readonly unsaved = new Map<string, string>();
  private readonly ledgerSubscription: { dispose(): void };
  private readonly lastAnnounced = new Map<string, string>();
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
    this.budget = new CreationBudget(this.clock, opts.maxCreatesPer10s ?? 20);
    // Without heartbeats another window would take this window's tasks over after staleOwnerMs.
    this.heartbeat = new Heartbeat(this.clock, opts.heartbeatMs ?? 10_000, () => this.track(this.claimAndRun(false)));
    this.downloads = new DownloadQueue({
      clock: this.clock,
      maxConcurrent: opts.maxConcurrentDownloads,
      run: (id, signal) => this.downloadOnce(id, signal),
      track: (work) => this.track(work),
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

  /**
   * Checks and uploads the request's images (local paths; each once, in parallel), builds the model's
   * request from its spec, records the task in the ledger, then sends it. Nothing is sent twice.
   */
  async submit(input: SubmitInput): Promise<TaskRecord> {
    const client = this.requireClient();
    const spec = this.spec(input.request.model);
    if (!spec) throw new KieError({ kind: 'invalidInput', field: 'model', message: `Unknown model "${input.request.model}": pick one from the list.` });
    const sourceImages = input.request.images;
    const request: GenerationRequest = { ...input.request, ...(sourceImages ? { images: await this.uploadAll(client, sourceImages) } : {}) };
    const built = buildRequest(spec, request);
    const sent = this.opts.prepare ? this.opts.prepare(spec, built) : built;
    // Waiting for the budget is not "work in progress": idle() must not wait on the clock.
    const release = await this.budget.acquire();
    this.heartbeat.start();
    const submission = this.send(client, spec, request, sent, { ...input, sourceImages }).finally(release);
    this.track(submission);
    return submission;
  }

  private async uploadAll(client: TaskClient, images: ImageChoices): Promise<ImageChoices> {
    const paths = [images.first, images.last, ...(images.references ?? [])].filter((p): p is string => !!p);
    const urls = new Map<string, Promise<string>>();
    for (const p of paths) if (!urls.has(p)) urls.set(p, client.uploadImage(p));
    const url = async (p: string | undefined) => (p === undefined ? undefined : urls.get(p));
    const [first, last, ...references] = await Promise.all([url(images.first), url(images.last), ...(images.references ?? []).map(url)]);
    return {
      ...(first ? { first } : {}),
      ...(last ? { last } : {}),
      ...(images.references?.length ? { references: references.filter((r): r is string => !!r) } : {}),
    };
  }

  private async send(client: TaskClient, spec: ModelSpec, request: GenerationRequest, sent: ModelRequest, input: SubmitInput & { sourceImages?: ImageChoices }): Promise<TaskRecord> {
    const now = this.clock.now();
    const id = `t-${now.toString(36)}-${randomBytes(4).toString('hex')}`;
    const record: TaskRecord = {
      id,
      model: request.model,
      family: spec.family,
      request,
      sent,
      ...(input.sourceImages?.first ? { sourceImage: input.sourceImages.first } : {}),
      ...(input.sourceImages ? { sourceImages: input.sourceImages } : {}),
      ...(input.outputName ? { outputName: input.outputName } : {}),
      ...(input.origin ? { origin: input.origin } : {}),
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
      taskId = await client.createTask(spec.family, sent);
    } catch (e) {
      this.submitting.delete(id);
      if (!createMayHaveReachedKie(e)) {
        const task = await this.ledger.update(id, (r) => ({ ...r, state: 'failed', error: toTaskError(e) }));
        this.emit({ type: 'failed', task });
        throw e;
      }
      const mayExist = mayExistError(e);
      // If even this write fails the record stays `submitting`, which the next start settles the same way.
      await this.ledger.update(id, (r) => ({ ...r, state: 'unknown', error: toTaskError(mayExist) })).catch(() => undefined);
      throw mayExist;
    }
    this.emit({ type: 'accepted', task: { ...record, taskId } });
    try {
      const queued = await this.saveAccepted(id, taskId);
      this.startPolling(queued, undefined);
      return queued;
    } finally {
      this.submitting.delete(id);
    }
  }

  /**
   * Records Kie's taskId, retrying with backoff: the task is paid for, so its id must not be lost to a
   * locked file. If every attempt fails the id stays in memory and each heartbeat tries again.
   */
  private async saveAccepted(id: string, taskId: string): Promise<TaskRecord> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.recordAccepted(id, taskId);
      } catch (e) {
        const delay = (this.opts.ledgerRetryMs ?? LEDGER_WRITE_DELAYS_MS)[attempt];
        if (delay === undefined || this.disposed) {
          this.unsaved.set(id, taskId);
          throw new Error(
            `Kie accepted task ${taskId}, but the task history could not be saved (${describe(e)}). The task id is kept and saving is tried again; if VS Code closes first, adopt task ${taskId} to get the video.`,
            { cause: e },
          );
        }
        // Real time on purpose, as the ledger's lock: this waits for another process to let go of the file.
        await sleep(delay);
      }
    }
  }

  private recordAccepted(id: string, taskId: string): Promise<TaskRecord> {
    return this.ledger.update(id, (r) => ({ ...r, taskId, state: 'queued', error: undefined, owner: { id: this.opts.ownerId, heartbeatAt: this.clock.now() } }));
  }

  /** Heartbeat: writes taskIds whose first write failed, then polls them like any other task. */
  private async flushUnsaved(): Promise<void> {
    for (const [id, taskId] of [...this.unsaved]) {
      try {
        const queued = await this.recordAccepted(id, taskId);
        this.unsaved.delete(id);
        this.startPolling(queued, 0);
      } catch {
        // Still unwritable; the next heartbeat tries again.
      }
    }
  }

  /**
   * Takes over a task by the id Kie's logs show (one this machine lost, or made elsewhere): records it
   * and polls and downloads it like any other. A task already in the history is resumed, not doubled.
   */
  async adopt(input: { taskId: string; outputDir: string }): Promise<TaskRecord> {
    const taskId = checkAdoptableId(input.taskId);
    const known = this.ledger.all().find((r) => r.taskId === taskId);
    if (known) {
      if (isResumable(known)) await this.resume(known.id);
      return this.ledger.get(known.id) ?? known;
    }
    const { family, snapshot } = await findAtKie(this.requireClient(), taskId);
    const now = this.clock.now();
    const record: TaskRecord = {
      id: `t-${now.toString(36)}-${randomBytes(4).toString('hex')}`,
      taskId,
      model: '',
      family,
      request: { model: '', prompt: '' },
      adopted: true,
      outputDir: path.resolve(input.outputDir),
      createdAt: snapshot.createTime !== undefined && snapshot.createTime <= now ? snapshot.createTime : now,
      updatedAt: now,
      state: 'queued',
      history: [{ state: 'queued', at: now, note: 'adopted' }],
      owner: { id: this.opts.ownerId, heartbeatAt: now },
    };
    await this.ledger.add(record);
    this.heartbeat.start();
    const added = this.ledger.get(record.id) ?? record;
    this.startPolling(added, 0);
    return added;
  }

  private spec(model: string): ModelSpec | undefined {
    return this.opts.resolveSpec?.(model) ?? findBundled(model);
  }

  /** On activation: settle crashed submissions, claim abandoned tasks and carry on with them. */
  resumeAll(): void {
    if (this.disposed) return;
    this.track(this.claimAndRun(true));
    this.heartbeat.start();
  }

  async stop(id: string): Promise<void> {
    this.halt(id);
    await this.transition(id, [...ACTIVE_STATES], (r) => ({ ...r, state: 'stopped' }));
  }

  async resume(id: string): Promise<void> {
    const rec = this.ledger.get(id);
    if (!rec) throw new Error(`Task ${id} is not in the task history.`);
    if (!isResumable(rec)) throw new Error(`Task ${id} (${rec.state}) cannot be resumed.`);
    this.downloadFailures.delete(id);
    this.notFound.delete(id);
    this.emptySuccesses.delete(id);
    this.pollFailures.delete(id);
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
    this.heartbeat.stop();
    this.downloads.close();
    this.budget.close();
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

  private expectedMs(model: string): number {
    return this.opts.expectedMs?.(model) ?? expectedDurationMs(this.spec(model)?.typicalSeconds ?? 120, this.ledger.durations(model));
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
    return this.scheduler.has(id) || this.downloads.has(id);
  }

  private halt(id: string): void {
    this.scheduler.remove(id);
    this.downloads.cancel(id);
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

  private async claimAndRun(startup: boolean): Promise<void> {
    if (this.disposed) return;
    await this.flushUnsaved();
    await this.ledger.reload();
    const staleMs = this.opts.staleOwnerMs ?? 30_000;
    const now = this.clock.now();
    const crashed = this.ledger
      .all()
      .filter(
        (r) =>
          r.state === 'submitting' &&
          !this.submitting.has(r.id) &&
          !this.unsaved.has(r.id) &&
          (!r.owner || r.owner.id === this.opts.ownerId || isStaleHeartbeat(r.owner.heartbeatAt, now, staleMs)),
      );
    for (const r of crashed) {
      const task = await this.transition(r.id, ['submitting'], (x) => ({
        ...x,
        state: 'unknown',
        error: {
          kind: 'mayExist',
          message:
            "VS Code closed before Kie answered the request, so the task may or may not exist at Kie. It was not sent again, to avoid paying twice: look at Kie's logs, and adopt the task if it is there.",
        },
      }));
      if (task) this.emit({ type: 'failed', task });
    }
    if (this.disposed) return;
    const claimed = await this.ledger.claim(
      this.opts.ownerId,
      staleMs,
      (r) => (ACTIVE_STATES.has(r.state) && r.taskId !== undefined) || (r.state === 'submitting' && (this.submitting.has(r.id) || this.unsaved.has(r.id))),
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
    // Without a key there is nothing to tell per poll: the extension already asks for one.
    const client = this.requireClient();
    let snap: TaskSnapshot;
    try {
      snap = await client.getTask(rec.family, rec.taskId);
    } catch (e) {
      if (this.disposed) return 'done';
      if (isKieError(e) && e.kind === 'notFound') return this.onNotFound(id, e);
      this.onPollFailure(id, e);
      throw e;
    }
    if (this.disposed) return 'done';
    this.notFound.delete(id);
    this.pollFailures.delete(id);
    this.troubleTold.clear();
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
          // Seen at Kie: the URLs arrive a moment after the state. Failing here would strand a paid video.
          const n = (this.emptySuccesses.get(id) ?? 0) + 1;
          this.emptySuccesses.set(id, n);
          if (n <= EMPTY_SUCCESS_REPOLLS) return 'continue';
          this.emptySuccesses.delete(id);
          await this.fail(id, RUNNING, {
            kind: 'badResponse',
            message: `Kie reported task ${rec.taskId} finished but gave no video URL after ${n} answers. Resume the task to ask again.`,
          });
          return 'done';
        }
        this.emptySuccesses.delete(id);
        const now = this.clock.now();
        const done = await this.transition(id, RUNNING, (r) => ({
          ...r,
          state: 'succeeded',
          resultUrls: snap.resultUrls,
          ...(snap.costTimeMs !== undefined ? { costTimeMs: snap.costTimeMs } : {}),
          ...(snap.creditsConsumed !== undefined ? { creditsConsumed: snap.creditsConsumed } : {}),
          error: undefined,
          history: [...r.history, { state: 'succeeded', at: now, note: snap.rawState }],
        }));
        if (done?.taskId) {
          // costTime's unit is not settled (documented ms, seen as seconds): Kie's own timestamps are.
          const kieMs = snap.createTime !== undefined && snap.completeTime !== undefined ? snap.completeTime - snap.createTime : undefined;
          const ms = kieMs !== undefined && kieMs > 0 ? kieMs : now - done.createdAt;
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
    if (n < (this.opts.maxNotFound ?? MAX_NOT_FOUND)) throw e;
    this.notFound.delete(id);
    await this.fail(id, RUNNING, { ...toTaskError(e), message: `Kie does not know task ${this.ledger.get(id)?.taskId ?? id}: ${e.message}` });
    return 'done';
  }

  /** Makes poll failures visible: the key or credits at once, anything else after a few in a row. */
  private onPollFailure(id: string, e: unknown): void {
    if (isKieError(e) && (e.kind === 'rateLimited' || e.kind === 'cancelled')) return;
    const n = (this.pollFailures.get(id) ?? 0) + 1;
    this.pollFailures.set(id, n);
    const error = toTaskError(e);
    const tell = pollNeedsUser(e) || n >= POLL_FAILURES_BEFORE_TELLING;
    const rec = this.ledger.get(id);
    if (!tell || !rec || this.troubleTold.has(error.kind)) return;
    this.troubleTold.add(error.kind);
    this.emit({ type: 'pollProblem', task: rec, error });
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

  private startDownload(id: string): void {
    if (!this.disposed) this.downloads.start(id);
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
      const save = async (): Promise<TaskRecord | undefined> => {
        const target = await this.videoPath(rec, taskId);
        await this.fetchVideo(client, rec.resultUrls![0], target, signal);
        if (signal.aborted) return undefined;
        await writeSidecar(sidecarPathFor(target), buildSidecar(started, target, this.clock.now()));
        this.downloadFailures.delete(id);
        return this.transition(id, ['downloading'], (r) => ({ ...r, state: 'completed', localFile: target, error: undefined }));
      };
      // Takes of one prompt file share a name: claimed together, both would write it and one paid video
      // would be lost; so one claims, downloads and records at a time.
      const task = rec.outputName ? await this.oneAtATime(path.join(rec.outputDir, rec.outputName), save) : await save();
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

  /** Runs `work` after every earlier call with the same key has settled. */
  private async oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.nameQueues.get(key) ?? Promise.resolve();
    const run = before.then(work, work);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.nameQueues.set(key, settled);
    void settled.then(() => {
      if (this.nameQueues.get(key) === settled) this.nameQueues.delete(key);
    });
    return run;
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
    const cause = toTaskError(e);
    const delay = downloadRetryDelay(failures, this.opts.downloadRetry);
    if (delay === undefined) {
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
    this.downloads.retryLater(id, delay);
  }
}

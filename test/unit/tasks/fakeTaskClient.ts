import { promises as fs } from 'node:fs';
import type { Clock } from '../../../src/core/tasks/clock';
import { KieError } from '../../../src/core/kie/errors';
import type { TaskClient } from '../../../src/core/tasks/taskService';
import type { ModelRequest } from '../../../src/core/models/requestBuilder';
import type { ApiFamily, TaskSnapshot } from '../../../src/core/types';

interface FakeTask {
  taskId: string;
  request: ModelRequest;
  createdAt: number;
  durationMs: number;
  failMsg?: string;
  failCode?: string;
  /** Successes still to answer without result URLs (Kie was seen filling them in late). */
  emptySuccesses: number;
}

/** What the fake Kie charges per task. */
export const FAKE_CREDITS = 63;

export const VIDEO_BYTES = Buffer.from('fake mp4 bytes: ftyp isom moov mdat '.repeat(50));

/**
 * An in-memory Kie for TaskService tests, on the test's monotonic clock (Kie's time does not jump when
 * this machine's wall clock is set). Several fake clients may share one
 * backend (two windows, one Kie account).
 */
export class FakeKie {
  readonly tasks = new Map<string, FakeTask>();
  readonly expired = new Set<string>();
  createCalls = 0;
  readonly createTimes: number[] = [];
  getCalls = 0;
  downloadCalls = 0;
  refreshCalls = 0;
  /** How long the next created tasks take. */
  durationMs = 60_000;
  nextFail?: { failMsg: string; failCode: string };
  /** How many times the next created task answers "success" without URLs before they appear. */
  nextEmptySuccesses = 0;
  /** Runs when a createTask arrives, before it is answered. */
  onCreate?: () => void;
  /** Thrown by the next createTask. */
  createError?: Error;
  /** Decides whether a getTask call fails (checked on every call). */
  getError?: (now: number) => Error | undefined;
  /** Thrown by the next download attempts, one per attempt. */
  downloadErrors: Error[] = [];

  constructor(readonly clock: Clock) {}

  client(counter?: { gets: number }): TaskClient {
    return {
      createTask: async (family, req) => this.createTask(family, req),
      getTask: async (family, taskId) => {
        if (counter) counter.gets++;
        return this.getTask(family, taskId);
      },
      uploadImage: async (filePath) => `https://files.example.test/${encodeURIComponent(filePath.split('/').pop() ?? 'img')}`,
      download: async (url, target) => this.download(url, target),
      refreshDownloadUrl: async (url) => {
        this.refreshCalls++;
        return `${url}?fresh=${this.refreshCalls}`;
      },
    };
  }

  urlFor(taskId: string): string {
    return `https://tempfile.example.test/${taskId}.mp4`;
  }

  private async createTask(_family: ApiFamily, request: ModelRequest): Promise<string> {
    this.createCalls++;
    this.createTimes.push(this.clock.monotonic());
    this.onCreate?.();
    if (this.createError) {
      const e = this.createError;
      this.createError = undefined;
      throw e;
    }
    const taskId = `task_fake_${this.createCalls.toString().padStart(10, '0')}`;
    this.tasks.set(taskId, { taskId, request, createdAt: this.clock.monotonic(), durationMs: this.durationMs, emptySuccesses: this.nextEmptySuccesses, ...this.nextFail });
    this.nextFail = undefined;
    this.nextEmptySuccesses = 0;
    return taskId;
  }

  private async getTask(_family: ApiFamily, taskId: string): Promise<TaskSnapshot> {
    this.getCalls++;
    const now = this.clock.monotonic();
    const injected = this.getError?.(now);
    if (injected) throw injected;
    const t = this.tasks.get(taskId);
    if (!t) throw new KieError({ kind: 'notFound', message: 'recordInfo is null', code: 422 });
    const elapsed = now - t.createdAt;
    const base = { taskId, resultUrls: [], watermarkUrls: [] };
    if (elapsed < Math.min(2000, t.durationMs)) return { ...base, status: 'queued', rawState: 'waiting' };
    if (elapsed < t.durationMs) return { ...base, status: 'generating', rawState: 'generating' };
    if (t.failMsg) return { ...base, status: 'failed', rawState: 'fail', failMsg: t.failMsg, failCode: t.failCode };
    if (t.emptySuccesses > 0) {
      t.emptySuccesses--;
      return { ...base, status: 'success', rawState: 'success' };
    }
    // Like Kie: epoch-ms timestamps, credits charged, and a costTime whose unit is not what it is documented as.
    return {
      ...base,
      status: 'success',
      rawState: 'success',
      resultUrls: [this.urlFor(taskId)],
      costTimeMs: t.durationMs / 1000,
      createTime: t.createdAt,
      completeTime: t.createdAt + t.durationMs,
      creditsConsumed: FAKE_CREDITS,
    };
  }

  private async download(url: string, target: string): Promise<{ path: string; bytes: number }> {
    this.downloadCalls++;
    if (this.expired.has(url)) throw new KieError({ kind: 'downloadFailed', message: 'The result link has expired.', httpStatus: 403 });
    const err = this.downloadErrors.shift();
    if (err) {
      // Like the real client: a cut-off transfer leaves nothing behind.
      await fs.writeFile(`${target}.part`, VIDEO_BYTES.subarray(0, 100));
      await fs.rm(`${target}.part`, { force: true });
      throw err;
    }
    await fs.writeFile(`${target}.part`, VIDEO_BYTES);
    await fs.rename(`${target}.part`, target);
    return { path: target, bytes: VIDEO_BYTES.length };
  }
}

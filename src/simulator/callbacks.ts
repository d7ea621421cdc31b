import type { Quirks } from './envelope';
import { isRecord } from './http';
import { jobsRecord, veoRecord, type SimTask, type TaskStore } from './tasks';

/** One callback the simulator sent (or tried to). */
export interface SentCallback {
  taskId: string;
  url: string;
  body: unknown;
  /** HTTP status of the receiver's answer; undefined while pending or on a network error. */
  status?: number;
  error?: string;
}

const CALLBACK_TIMEOUT_MS = 10_000;

/**
 * Kie POSTs the recordInfo body to `callBackUrl` when a task ends. The POST goes out on the real timer
 * at the task's final step, with the body the task has at that step, so it is the same whatever
 * clock the simulator was given.
 */
export class Callbacks {
  readonly sent: SentCallback[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly tasks: TaskStore,
    private readonly quirks: () => Required<Quirks>,
  ) {}

  schedule(task: SimTask): void {
    const url = isRecord(task.param) ? task.param.callBackUrl : undefined;
    const last = task.timeline[task.timeline.length - 1];
    if (typeof url !== 'string' || !/^https?:\/\//.test(url) || !last || (last.state !== 'success' && last.state !== 'fail')) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.send(task, url, task.createdAt + last.afterMs);
    }, last.afterMs);
    timer.unref();
    this.timers.add(timer);
  }

  private async send(task: SimTask, url: string, at: number): Promise<void> {
    const phase = this.tasks.phase(task, at);
    const data = task.family === 'jobs' ? jobsRecord(task, phase, this.quirks()) : veoRecord(task, phase, this.quirks());
    const record: SentCallback = { taskId: task.id, url, body: { code: 200, msg: 'success', data } };
    this.sent.push(record);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'User-Agent': 'kie-simulator-callback' },
        body: JSON.stringify(record.body),
        signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
      });
      await res.arrayBuffer();
      record.status = res.status;
    } catch (err) {
      record.error = err instanceof Error ? err.message : String(err);
    }
  }

  /** Cancels pending callbacks and forgets sent ones. */
  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.sent.length = 0;
  }
}

import { randomBytes } from 'node:crypto';
import type { Quirks } from './envelope';
import type { ResultUrls } from './files';

export type SimTaskState = 'waiting' | 'queuing' | 'generating' | 'success' | 'fail';

/** How the next created task(s) behave. Without `states`, a task walks the default timeline. */
export interface TaskScript {
  /**
   * Explicit timeline, times from creation. A script whose last state is not `success` or `fail`
   * never finishes (a stuck task).
   */
  states?: Array<{ state: SimTaskState; afterMs: number }>;
  /** Total duration of the default timeline for this task. */
  durationMs?: number;
  /** Setting either makes the default timeline end in `fail`. */
  failCode?: string;
  failMsg?: string;
  /**
   * `costTime` to report verbatim once the task is done (Kie's unit is unsettled: its docs say ms, its
   * September example seconds). Default: the run time in seconds.
   */
  costTime?: number;
  /** Veo's `successFlag` for a failed task: 2 "failed" (default) or 3 "generation failed". */
  veoFailFlag?: 2 | 3;
  /**
   * From `afterMs` on, recordInfo answers this envelope code instead of the task (408: the upstream
   * returned nothing for 10+ minutes; the task never finishes).
   */
  recordError?: { code: number; msg?: string; afterMs: number };
}

/** What the creating route decided about a task besides its script. */
export interface TaskTerms {
  /** Credits charged at creation, reported as `creditsConsumed`. */
  credits: number;
  /** Length of an unscripted run (default: the store's defaultDurationMs). */
  runMs?: number;
  /** Veo: the aspect ratio asked for (not 16:9 adds `originUrls`) and the resolution. */
  veoAspect?: string;
  resolution?: string;
}

export interface SimTask {
  readonly id: string;
  readonly family: 'jobs' | 'veo';
  readonly model: string;
  /** Creation order; drives the alternating quirks so runs are reproducible. */
  readonly seq: number;
  readonly param: unknown;
  readonly createdAt: number;
  readonly timeline: ReadonlyArray<{ state: SimTaskState; afterMs: number }>;
  readonly failCode: string;
  readonly failMsg: string;
  readonly veoFailFlag: 2 | 3;
  readonly costTime?: number;
  readonly recordError?: { code: number; msg?: string; afterMs: number };
  readonly credits: number;
  /** Kie's second id for the record; not a task id. */
  readonly recordId: string;
  readonly veoAspect?: string;
  readonly resolution?: string;
  resultUrls: string[];
  watermarkUrls: string[];
  originUrls: string[];
  hdUrl?: string;
}

export interface TaskPhase {
  state: SimTaskState;
  /** When this state began (epoch ms). */
  since: number;
  progress: number;
  done: boolean;
}

const DEFAULT_FAIL_CODE = '500';
const DEFAULT_FAIL_MSG = 'Internal error, please try again later.';

/** The default timeline as fractions of the duration: most of a real run is spent generating. */
function defaultTimeline(durationMs: number, final: 'success' | 'fail'): Array<{ state: SimTaskState; afterMs: number }> {
  return [
    { state: 'waiting', afterMs: 0 },
    { state: 'queuing', afterMs: Math.round(durationMs * 0.1) },
    { state: 'generating', afterMs: Math.round(durationMs * 0.3) },
    { state: final, afterMs: durationMs },
  ];
}

export interface TaskStoreDeps {
  now(): number;
  urls: ResultUrls;
  resultUrlTtlMs(): number;
}

export class TaskStore {
  defaultDurationMs: number;
  private readonly tasks = new Map<string, SimTask>();
  private scripts: TaskScript[] = [];
  private seq = 0;
  private lastIdMs = 0;

  constructor(private readonly deps: TaskStoreDeps, defaultDurationMs: number) {
    this.defaultDurationMs = defaultDurationMs;
  }

  scriptNext(script: TaskScript, n = 1): void {
    for (let i = 0; i < n; i++) this.scripts.push(script);
  }

  create(family: 'jobs' | 'veo', model: string, param: unknown, terms: TaskTerms): SimTask {
    const script = this.scripts.shift();
    const fails = script?.failCode !== undefined || script?.failMsg !== undefined;
    const timeline = script?.states?.length
      ? [...script.states].sort((a, b) => a.afterMs - b.afterMs)
      : defaultTimeline(script?.durationMs ?? terms.runMs ?? this.defaultDurationMs, fails ? 'fail' : 'success');
    const task: SimTask = {
      id: family === 'jobs' ? this.jobsId(model) : randomBytes(16).toString('hex'),
      family,
      model,
      seq: this.seq++,
      param,
      createdAt: this.deps.now(),
      timeline,
      failCode: script?.failCode ?? DEFAULT_FAIL_CODE,
      failMsg: script?.failMsg ?? DEFAULT_FAIL_MSG,
      veoFailFlag: script?.veoFailFlag ?? 2,
      costTime: script?.costTime,
      recordError: script?.recordError,
      credits: terms.credits,
      recordId: randomBytes(16).toString('hex'),
      veoAspect: terms.veoAspect,
      resolution: terms.resolution,
      resultUrls: [],
      watermarkUrls: [],
      originUrls: [],
    };
    this.tasks.set(task.id, task);
    return task;
  }

  get(id: string): SimTask | undefined {
    return this.tasks.get(id);
  }

  all(): SimTask[] {
    return [...this.tasks.values()];
  }

  clear(): void {
    this.tasks.clear();
    this.scripts = [];
    this.seq = 0;
  }

  phase(task: SimTask, now: number): TaskPhase {
    const elapsed = now - task.createdAt;
    let i = -1;
    while (i + 1 < task.timeline.length && task.timeline[i + 1].afterMs <= elapsed) i++;
    if (i < 0) return { state: 'waiting', since: task.createdAt, progress: 0, done: false };
    const step = task.timeline[i];
    const done = step.state === 'success' || step.state === 'fail';
    let progress = step.state === 'success' ? 100 : 0;
    if (step.state === 'generating') {
      const next = task.timeline[i + 1];
      progress = next ? Math.min(99, Math.floor((100 * (elapsed - step.afterMs)) / Math.max(1, next.afterMs - step.afterMs))) : 50;
    }
    const phase = { state: step.state, since: task.createdAt + step.afterMs, progress, done };
    if (phase.state === 'success') this.issueResults(task, phase.since);
    return phase;
  }

  /** Result URLs exist from the moment the task succeeded; they are minted on first sight. */
  private issueResults(task: SimTask, successAt: number): void {
    if (task.resultUrls.length > 0) return;
    const ttl = this.deps.resultUrlTtlMs();
    task.resultUrls = [this.deps.urls.issue(task.id, successAt, ttl)];
    if (isSora(task.model)) task.watermarkUrls = [this.deps.urls.issue(task.id, successAt, ttl)];
    else if (task.veoAspect !== '16:9') task.originUrls = [this.deps.urls.issue(task.id, successAt, ttl)];
  }

  issueHd(task: SimTask, now: number): string {
    task.hdUrl ??= this.deps.urls.issue(task.id, now, this.deps.resultUrlTtlMs());
    return task.hdUrl;
  }

  /** `task_<model>_<ms>` as Kie issues them, kept unique when two tasks start in the same millisecond. */
  private jobsId(model: string): string {
    this.lastIdMs = Math.max(this.deps.now(), this.lastIdMs + 1);
    return `task_${model}_${this.lastIdMs}`;
  }
}

function emptyValue(task: SimTask, quirks: Required<Quirks>): '' | null {
  if (quirks.emptyAs === 'null') return null;
  if (quirks.emptyAs === 'empty-string') return '';
  return task.seq % 2 === 0 ? '' : null;
}

function isSora(model: string): boolean {
  return model.startsWith('sora-');
}

/** Kie's 0 running, 1 success, 3 fail (kie-api.md §4). */
function jobsSuccessFlag(state: SimTaskState): 0 | 1 | 3 {
  return state === 'success' ? 1 : state === 'fail' ? 3 : 0;
}

/** `data` of `GET /api/v1/jobs/recordInfo`. */
export function jobsRecord(task: SimTask, phase: TaskPhase, quirks: Required<Quirks>): Record<string, unknown> {
  const empty = emptyValue(task, quirks);
  const success = phase.state === 'success';
  const fail = phase.state === 'fail';
  // Only Sora added watermark URLs to the result and reported progress.
  const result = success ? { resultUrls: task.resultUrls, ...(isSora(task.model) ? { resultWaterMarkUrls: task.watermarkUrls } : {}) } : undefined;
  return {
    taskId: task.id,
    model: task.model,
    state: phase.state,
    successFlag: jobsSuccessFlag(phase.state),
    param: JSON.stringify(task.param),
    resultJson: result ? JSON.stringify(result) : empty,
    response: result ?? null,
    failCode: fail ? task.failCode : empty,
    failMsg: fail ? task.failMsg : empty,
    creditsConsumed: task.credits,
    // Seconds, as Kie's September 2026 example reads; its docs say milliseconds, so clients must not trust it.
    costTime: phase.done ? (task.costTime ?? Math.round((phase.since - task.createdAt) / 1000)) : null,
    completeTime: phase.done ? phase.since : null,
    createTime: task.createdAt,
    updateTime: phase.since,
    ...(isSora(task.model) ? { progress: phase.progress } : {}),
  };
}

/** Veo prints times as `YYYY-MM-DD HH:mm:ss` (UTC here; Kie does not say which zone). */
export function veoTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** `data` of `GET /api/v1/veo/record-info`. */
export function veoRecord(task: SimTask, phase: TaskPhase, quirks: Required<Quirks>): Record<string, unknown> {
  const success = phase.state === 'success';
  const fail = phase.state === 'fail';
  const urlsAsString = quirks.veoResultUrlsAs === 'string' || (quirks.veoResultUrlsAs === 'alternate' && task.seq % 2 === 1);
  const numericCode = Number(task.failCode);
  return {
    taskId: task.id,
    paramJson: JSON.stringify(task.param),
    completeTime: phase.done ? veoTime(phase.since) : null,
    response: success
      ? {
          taskId: task.id,
          resultUrls: urlsAsString ? JSON.stringify(task.resultUrls) : task.resultUrls,
          originUrls: task.originUrls.length > 0 ? task.originUrls : null,
          resolution: task.resolution ?? '720p',
        }
      : null,
    successFlag: success ? 1 : fail ? task.veoFailFlag : 0,
    errorCode: fail ? (Number.isInteger(numericCode) ? numericCode : task.failCode) : null,
    errorMessage: fail ? task.failMsg : emptyValue(task, quirks),
    createTime: veoTime(task.createdAt),
    fallbackFlag: false,
  };
}

/** Kie serves two request shapes: the generic jobs API and the Veo 3.1 API. */
export type ApiFamily = 'jobs' | 'veo';

/** The product's words for orientation; each API family maps them to its own values. */
export type AspectRatio = 'landscape' | 'portrait';

/** Sora 2 Pro output size: "standard" is about 720p, "high" about 1080p. */
export type ProSize = 'standard' | 'high';

/** Kie's remote states, folded to one vocabulary across API families. */
export type RemoteStatus = 'queued' | 'generating' | 'success' | 'failed';

/** One poll answer, normalised. */
export interface TaskSnapshot {
  taskId: string;
  status: RemoteStatus;
  /** Kie's own word (`waiting`, `queuing`, `successFlag=1`…), for logs and the history view. */
  rawState: string;
  /** Result URLs without watermark first; empty until success. */
  resultUrls: string[];
  watermarkUrls: string[];
  failCode?: string;
  failMsg?: string;
  costTimeMs?: number;
  createTime?: number;
  completeTime?: number;
  /** 0-100 when Kie reports it. */
  progress?: number;
  /** Credits Kie charged for the task, once it reports them. */
  creditsConsumed?: number;
}

/** What the HTTP layer reports for every request (never headers, never the key). */
export interface RequestLogEntry {
  method: string;
  /** Path and query of the URL; query values that could carry secrets are redacted. */
  path: string;
  status?: number;
  code?: number;
  durationMs: number;
  taskId?: string;
  error?: string;
  attempt: number;
}

export type RequestLogger = (entry: RequestLogEntry) => void;

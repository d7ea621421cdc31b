/** Kie serves two request shapes: the generic jobs API and the Veo 3.1 API. */
export type ApiFamily = 'jobs' | 'veo';

/** The product's words for orientation; each API family maps them to its own values. */
export type AspectRatio = 'landscape' | 'portrait';

/** Sora 2 Pro output size: "standard" is about 720p, "high" about 1080p. */
export type ProSize = 'standard' | 'high';

/**
 * What the user asked for, after validation and after any image was uploaded.
 * Durations are seconds as strings because that is what Kie's `n_frames` takes.
 */
export interface GenerationRequest {
  /** Catalog id (see catalog.ts). */
  model: string;
  prompt: string;
  aspectRatio: AspectRatio;
  duration?: string;
  removeWatermark?: boolean;
  size?: ProSize;
  /** Public URLs of uploaded images (image-to-video models). */
  imageUrls?: string[];
}

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

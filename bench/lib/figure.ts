/**
 * What every benchmark hands back: rows of measured figures, each with the goal it is judged against, so
 * the runner can print one table and write RESULTS.md without knowing what was measured.
 */
export interface Goal {
  /** Human text, e.g. "≤ 150 KB". */
  text: string;
  pass: boolean;
}

export interface FigureRow {
  metric: string;
  value: string;
  goal?: Goal;
}

export interface FigureResult {
  /** e.g. "1. Bundle and package size". */
  title: string;
  rows: FigureRow[];
  /** How it was measured, and what explains a failed goal. */
  notes: string[];
}

export function row(metric: string, value: string, goal?: Goal): FigureRow {
  return goal ? { metric, value, goal } : { metric, value };
}

export function atMost(value: number, limit: number, text: string): Goal {
  return { text, pass: Number.isFinite(value) && value <= limit };
}

export function below(value: number, limit: number, text: string): Goal {
  return { text, pass: Number.isFinite(value) && value < limit };
}

export function atLeast(value: number, limit: number, text: string): Goal {
  return { text, pass: Number.isFinite(value) && value >= limit };
}

export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

export function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function ms(value: number, digits = 1): string {
  return `${value.toFixed(digits)} ms`;
}

/** A figure that could not be measured: reported as a failed row with the reason, never silently skipped. */
export function notMeasured(title: string, error: unknown): FigureResult {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return {
    title,
    rows: [row('not measured', 'error', { text: 'figure runs', pass: false })],
    notes: [`The benchmark failed: ${message.split('\n').slice(0, 6).join(' | ')}`],
  };
}

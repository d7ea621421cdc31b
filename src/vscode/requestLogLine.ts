import type { RequestLogEntry } from '../core/types';

/**
 * One line per HTTP request for the "Sora" output channel. The core already redacts secrets from the
 * path; this scrubs again because a leaked key in a log someone pastes into an issue cannot be recalled.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/([?&](?:key|api_key|apikey|token|access_token)=)[^&#\s]*/gi, '$1***')
    .replace(/(Bearer\s+)[^\s,;"']+/gi, '$1***')
    .replace(/(authorization["']?\s*[:=]\s*["']?(?:Bearer\s+)?)[^\s,;"']+/gi, '$1***');
}

export function formatRequestLine(e: RequestLogEntry): string {
  const parts = [`${e.method} ${e.path}`, `→ ${e.status ?? '-'}`];
  if (e.code !== undefined) parts.push(`code=${e.code}`);
  parts.push(`${Math.round(e.durationMs)}ms`);
  if (e.taskId) parts.push(`taskId=${e.taskId}`);
  if (e.attempt > 1) parts.push(`attempt=${e.attempt}`);
  if (e.error) parts.push(`error=${e.error}`);
  return redactSecrets(parts.join(' '));
}

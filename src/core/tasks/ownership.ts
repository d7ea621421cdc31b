/**
 * Which window works on a task. Each window stamps the tasks it owns with a wall-clock heartbeat (the
 * only time all windows share); a task whose heartbeat is old is taken over by another window.
 */

/**
 * A heartbeat is stale when it is older than `staleMs`, or further than `staleMs` in the future: the
 * clock was set back since it was written, and a live owner would have beaten again since under the
 * new time. Without the second rule a clock set back an hour would keep a dead window's tasks for an hour.
 */
export function isStaleHeartbeat(heartbeatAt: number, now: number, staleMs: number): boolean {
  return Math.abs(now - heartbeatAt) > staleMs;
}

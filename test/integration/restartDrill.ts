/**
 * The task the main suite leaves running when the launcher kills the extension host, and the
 * afterRestart suite expects to see finished. Its prompt is how the second run finds it.
 */
export const RESTART_PROMPT = 'A clock tower at midnight, seen through falling snow';
export const RESTART_MODEL = 'kling-3.0/video';
/** Long enough to outlive the end of the main suite and the restart. */
export const RESTART_TASK_MS = 20_000;
/** A submission whose createTask is still unanswered when the extension host dies. */
export const UNANSWERED_PROMPT = 'A submission VS Code did not live to see answered';

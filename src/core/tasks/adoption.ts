import { KieError, isKieError } from '../kie/errors';
import type { ApiFamily, TaskSnapshot } from '../types';
import type { TaskClient } from './taskService';

/**
 * Finding a task the extension lost (or never knew) at Kie by the id Kie's logs show. The id does not
 * say which API made it, except Veo's `veo_…` ids by convention, so the likely family is asked first
 * and the other one when the first does not know the id.
 */

/**
 * Kie's task ids are opaque: `task_<model>_<ms>` (a model id may hold `/` or `.`), 32 hex digits, `veo_task_…`.
 * Anything printable without spaces is passed on; it only ever goes into a query string.
 */
const TASK_ID = /^[A-Za-z0-9_.\/:-]{4,200}$/;

export function checkAdoptableId(raw: string): string {
  const taskId = raw.trim();
  if (!TASK_ID.test(taskId)) {
    throw new KieError({
      kind: 'invalidInput',
      field: 'taskId',
      message: `"${taskId.slice(0, 60)}" is not a Kie task ID: copy it from the task in Kie's logs (letters, digits and _ - . / :).`,
    });
  }
  return taskId;
}

export async function findAtKie(client: TaskClient, taskId: string): Promise<{ family: ApiFamily; snapshot: TaskSnapshot }> {
  const order: ApiFamily[] = /^veo_/i.test(taskId) ? ['veo', 'jobs'] : ['jobs', 'veo'];
  for (const family of order) {
    try {
      return { family, snapshot: await client.getTask(family, taskId) };
    } catch (e) {
      if (!(isKieError(e) && e.kind === 'notFound')) throw e;
    }
  }
  throw new KieError({
    kind: 'notFound',
    taskId,
    message: `Kie knows no task ${taskId} (asked both the jobs and the Veo API). Kie keeps tasks 14 days.`,
  });
}

import type { TaskService } from '../tasks/taskService';
import type { PromptTaskSubmitter } from './batchRunner';

/** Prompt files submit through the same task service as the form: their request is the model layer's. */
export function taskServiceSubmitter(service: TaskService): PromptTaskSubmitter {
  return { submit: (input) => service.submit(input) };
}

import type { TaskService } from '../tasks/taskService';
import type { GenerationRequest as TaskRequest } from '../types';
import type { PromptTaskSubmitter } from './batchRunner';

/**
 * Prompt files speak the model layer's GenerationRequest; the task service on this branch still takes
 * the older request of the Veo/Sora catalog (its move to the model layer is under way). This is the one
 * place that bridges the two, so it is the one file to reduce to `service.submit(input)` when it lands.
 */
export function taskServiceSubmitter(service: TaskService): PromptTaskSubmitter {
  return {
    submit: ({ request, outputDir, outputName, origin }) => {
      const portrait = request.aspect === '9:16' || request.aspect === 'portrait';
      const legacy: TaskRequest = {
        model: request.model,
        prompt: request.prompt,
        aspectRatio: portrait ? 'portrait' : 'landscape',
        ...(request.duration !== undefined ? { duration: String(request.duration) } : {}),
      };
      return service.submit({ request: legacy, ...(request.images?.first ? { imagePath: request.images.first } : {}), outputDir, outputName, origin });
    },
  };
}

import type { GenerationRequest } from '../core/models/spec';
import type { TaskRecord } from '../core/tasks/task';
import type { GenerateInput } from './generate/generationFlow';
import type { ShownMessage } from './presentation/notify';

/**
 * What `activate()` returns: the extension's public API, used by the integration tests and by other
 * extensions (`vscode.extensions.getExtension('sora-video.sora-video')?.exports`).
 */
export interface SoraApi {
  /** Every task in the history (empty until the history has been read). */
  tasks(): TaskRecord[];
  hasApiKey(): Promise<boolean>;
  /** The last ~50 notifications the extension showed, oldest first. */
  recentMessages(): ShownMessage[];
  /**
   * What the form's Generate button does; throws KieError (field set for form errors). With variants,
   * each is a task of its own in `tasks()`; this returns the first.
   */
  generate(input: GenerateInput): Promise<TaskRecord>;
  /** What the open Generate form holds (images as local paths), or undefined when no form is open. */
  formRequest(): GenerationRequest | undefined;
}

import { KieError, isKieError } from '../core/kie/errors';
import type { TaskRecord } from '../core/tasks/task';
import { checkImageFile } from '../core/media/imageCheck';
import { findBundled } from '../core/models/bundledSpecs';
import { validateChoices } from '../core/models/choiceValidation';
import type { FormState } from '../webview/messages';
import type { CoreServices } from './coreServices';
import { MISSING_KEY_FIELD } from './errorPresentation';
import { formToRequest } from './formDefaults';
import type { KeyStore } from './keyStore';
import type { Notifier } from './notify';
import type { TaskProgress } from './progress';
import type { Settings } from './settings';

export interface GenerateInput {
  form: FormState;
  imagePath?: string;
}

export interface GenerationFlowDeps {
  core: CoreServices;
  keys: KeyStore;
  settings: Settings;
  notifier: Notifier;
  progress: TaskProgress;
  /** Opens the form with these values (for "Use <model>" and "Change prompt"). */
  openForm(form: FormState, imagePath?: string): unknown;
}

/** Errors the form shows next to a field; everything else also gets a notification with its actions. */
const FORM_KINDS = new Set(['invalidInput', 'validation']);

/**
 * What "Generate" does, for the form and for `SoraApi.generate`: validate, require a key, submit
 * (the task service uploads the image and writes the ledger before waiting), then show progress.
 * Throws KieError so the caller can put the message next to the right field.
 */
export function createGenerate(deps: GenerationFlowDeps): (input: GenerateInput) => Promise<TaskRecord> {
  const generate = async (input: GenerateInput): Promise<TaskRecord> => {
    try {
      return await submit(input);
    } catch (err) {
      if (!isKieError(err) || !FORM_KINDS.has(err.kind)) {
        void deps.notifier.showError(err, {
          model: input.form.model,
          handlers: {
            retry: () => generate(input).catch(() => undefined),
            useModel: (a) => deps.openForm({ ...input.form, model: a.model ?? input.form.model }, input.imagePath),
            editForm: () => deps.openForm(input.form, input.imagePath),
          },
        });
      }
      throw err;
    }
  };

  const submit = async ({ form, imagePath }: GenerateInput): Promise<TaskRecord> => {
    const request = formToRequest(form, imagePath);
    const spec = findBundled(request.model);
    const issue = spec ? validateChoices(spec, request)[0] : { field: 'model', message: `Unknown model "${request.model}".` };
    if (issue) throw new KieError({ kind: 'invalidInput', field: issue.field, message: issue.message, detail: issue.message });
    if (imagePath) await checkImageFile(imagePath);
    if (!(await deps.keys.hasKieKey())) {
      throw new KieError({ kind: 'unauthorized', field: MISSING_KEY_FIELD, message: 'No Kie API key is set.' });
    }
    // Builds the client for the key just checked, in case the key changed a moment ago.
    await deps.core.client();
    const service = await deps.core.taskService();
    const task = await service.submit({ request, outputDir: deps.settings.outputDir(), origin: { kind: 'form' } });
    deps.progress.track(task);
    return task;
  };

  return generate;
}

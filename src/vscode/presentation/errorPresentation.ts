import { findBundled } from '../../core/models/bundledSpecs';
import type { KieErrorKind } from '../../core/kie/errors';
import { ImageCheckError, type ImageProblem } from '../../core/media/imageCheck';
import { imageProblemText } from '../generate/imageProblemText';
import { modelDisplayName } from './modelName';
import { plainNotificationText } from './notificationText';
import type { Translate } from './translate';

/** What the user can do about an error; `notify` turns each into a button and runs it. */
export type ErrorActionId = 'setApiKey' | 'setImgbbKey' | 'topUp' | 'retry' | 'editForm' | 'generateAgain' | 'useModel' | 'showTasks' | 'adoptTask' | 'showLog';

export interface ErrorAction {
  id: ErrorActionId;
  label: string;
  /** For `useModel`: the catalog id to switch to. */
  model?: string;
}

export interface ErrorPresentation {
  severity: 'warning' | 'error';
  text: string;
  actions: ErrorAction[];
}

/** The fields of a KieError or a ledger TaskError that the presentation reads. */
export interface PresentableError {
  /** `unexpected`: not a Kie failure (a disk error, a bug); shown with its message. */
  kind: KieErrorKind | 'unexpected';
  message: string;
  detail?: string;
  taskId?: string;
  failCode?: string;
  alternativeModel?: string;
  field?: string;
  /** The catalog id the failed request used. */
  model?: string;
  /** For a refused source image: why, to say it in the user's language. */
  image?: ImageProblem;
  /** Its name as the picker shows it. */
  modelLabel?: string;
  /** Live models to offer instead when this one is unavailable, best first (the caller asks the catalog). */
  alternatives?: readonly { id: string; label: string }[];
}

/** The refused image's reason, for the errors that carry one. */
export function imageProblemOf(err: unknown): ImageProblem | undefined {
  return err instanceof ImageCheckError ? err.problem : undefined;
}

/** Marks the error raised when no key is stored and no environment fallback exists. */
export const MISSING_KEY_FIELD = 'key';
/** The client's `field` on errors about the imgbb key (missing or rejected). */
export const IMGBB_KEY_FIELD = 'imgbbKey';

const sentence = (s: string) => s.trim().replace(/[.\s]+$/, '');

/**
 * Maps an error to a localized sentence and the actions that can fix it. `available` lists the actions
 * the caller can actually run (a retry needs something to retry), so no button does nothing.
 */
export function presentError(err: PresentableError, t: Translate, available: ReadonlySet<ErrorActionId> = new Set()): ErrorPresentation {
  const detail = err.detail ? sentence(err.detail) : undefined;
  const withTask = (text: string) => (err.taskId ? t('{0} Task ID: {1}', text, err.taskId) : text);
  const actions: ErrorAction[] = [];
  const offer = (id: ErrorActionId, label: string, model?: string) => {
    if (id === 'setApiKey' || id === 'setImgbbKey' || id === 'topUp' || available.has(id)) actions.push(model ? { id, label, model } : { id, label });
  };
  let severity: ErrorPresentation['severity'] = 'error';
  let text: string;

  switch (err.kind) {
    case 'unauthorized':
      if (err.field === IMGBB_KEY_FIELD) {
        text = t('Images are uploaded to imgbb (setting sora.imageHost), but no valid imgbb API key is set.');
        offer('setImgbbKey', t('Set imgbb API Key'));
        break;
      }
      text =
        err.field === MISSING_KEY_FIELD
          ? t('No Kie API key is set. Set one to generate videos.')
          : t('Kie rejected the API key. Set a valid key to continue.');
      offer('setApiKey', t('Set API Key'));
      break;
    case 'insufficientCredits':
      text = t('Your Kie credits are not enough for this video. Top up your balance on kie.ai, then try again.');
      offer('topUp', t('Top Up'));
      break;
    case 'rateLimited':
      severity = 'warning';
      text = t('Kie is limiting requests right now. The extension backs off and tries again shortly; new videos can be submitted in a few seconds.');
      offer('retry', t('Retry'));
      break;
    case 'maintenance':
      severity = 'warning';
      text = t('Kie is under maintenance. Try again later.');
      offer('retry', t('Retry'));
      break;
    case 'network':
    case 'timeout':
      text = detail
        ? t('Could not reach Kie: {0}. Check your connection and proxy settings.', detail)
        : t('Could not reach Kie. Check your connection and proxy settings.');
      offer('retry', t('Retry'));
      break;
    case 'server':
    case 'badResponse':
      text = detail ? t('Kie answered with an error: {0}. Try again in a moment.', detail) : t('Kie answered with an error. Try again in a moment.');
      offer('retry', t('Retry'));
      break;
    case 'generationFailed':
      text = withTask(
        detail ? t('Kie could not generate the video: “{0}”.', detail) : t('Kie could not generate the video.'),
      );
      offer('editForm', t('Change Prompt'));
      offer('generateAgain', t('Generate Again'));
      break;
    case 'modelUnavailable':
    case 'featureDisabled': {
      // Kie will not serve this model (Sora's "temporarily paused", "model name not supported"): a retry
      // cannot succeed, so the way out is another model, with the form's values carried over.
      const name = err.modelLabel ?? (err.model ? modelDisplayName(findBundled(err.model), t) : undefined) ?? err.model ?? t('This model');
      const suggested = err.alternativeModel ? [{ id: err.alternativeModel, label: modelDisplayName(findBundled(err.alternativeModel), t) ?? err.alternativeModel }] : [];
      const alternatives = (err.alternatives?.length ? err.alternatives : suggested).slice(0, 3);
      text = alternatives.length
        ? t('{0} is not available on Kie. Live alternatives: {1}.', name, alternatives.map((a) => a.label).join(t(', ')))
        : t('{0} is not available on Kie. Choose another model.', name);
      for (const a of alternatives.slice(0, 2)) offer('useModel', t('Use {0}', a.label), a.id);
      if (alternatives.length === 0) offer('editForm', t('Change Model'));
      break;
    }
    case 'upstreamTimeout':
      text = withTask(t('The model returned nothing for over 10 minutes, so Kie gave up on this task. Try again later or pick another model.'));
      offer('editForm', t('Change Model'));
      break;
    case 'keyLimit':
      text = t("This API key has reached the usage limit set for it on Kie. Raise the key's limit in Kie's API key settings, or set another key.");
      offer('setApiKey', t('Set API Key'));
      break;
    case 'imageUnreachable':
      text = withTask(t('Kie could not fetch an input image. Generate again to upload it anew, or choose another image.'));
      offer('editForm', t('Change Image'));
      break;
    case 'validation':
      text = t('Kie rejected the request: {0}.', detail ?? sentence(err.message));
      offer('editForm', t('Change Prompt'));
      break;
    case 'invalidInput':
      severity = 'warning';
      if (err.image) text = imageProblemText(err.image, t);
      else if (err.field === 'model') text = t('Unknown model "{0}": pick one from the list.', err.model ?? '');
      else text = detail ?? t('Check the form and try again.');
      break;
    case 'notFound':
      text = withTask(t('Kie does not know this task. Its results may have expired (Kie keeps them 14 days).'));
      break;
    case 'downloadFailed':
      text = withTask(
        detail
          ? t('The video was generated but could not be downloaded: {0}. Resume the task from the Sora view to try again.', detail)
          : t('The video was generated but could not be downloaded. Resume the task from the Sora view to try again.'),
      );
      offer('retry', t('Retry'));
      break;
    case 'unexpected':
      text = t('Something went wrong: {0}', detail ?? sentence(err.message));
      break;
    case 'mayExist':
      // Never a Retry: a second createTask would pay again if the first one did reach Kie.
      text = t(
        "Kie did not confirm the request, so the task may already exist and be charged. Look at the Sora view or Kie's logs (kie.ai → Logs) before trying again; a task found there can be saved with \"Sora: Adopt Kie Task…\".",
      );
      offer('showTasks', t('Show Tasks'));
      offer('adoptTask', t('Adopt Kie Task…'));
      break;
    case 'cancelled':
      severity = 'warning';
      text = t('Stopped waiting. The credits are already spent; resume the task from the Sora view to get the video.');
      break;
  }
  offer('showLog', t('Show Log'));
  // Kie's failMsg and msg, task ids and model names come from outside: no link may hide in them.
  return { severity, text: plainNotificationText(text), actions };
}

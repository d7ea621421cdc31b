import { findBundled } from '../core/models/bundledSpecs';
import type { KieErrorKind } from '../core/kie/errors';
import type { Translate } from './translate';

/** What the user can do about an error; `notify` turns each into a button and runs it. */
export type ErrorActionId = 'setApiKey' | 'setImgbbKey' | 'topUp' | 'retry' | 'editForm' | 'generateAgain' | 'useModel' | 'showLog';

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
  /** The catalog id the failed request used, to name it and find its successor. */
  model?: string;
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
  const withTask = (text: string) => (err.taskId ? `${text} ${t('Task ID: {0}', err.taskId)}` : text);
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
        detail ? t('Kie could not generate the video: {0}.', detail) : t('Kie could not generate the video.'),
      );
      offer('editForm', t('Change Prompt'));
      offer('generateAgain', t('Generate Again'));
      break;
    case 'modelUnavailable':
    case 'featureDisabled': {
      const current = err.model ? findBundled(err.model) : undefined;
      const alternative = findBundled(err.alternativeModel ?? current?.retired?.alternative ?? '');
      const name = current?.label ?? err.model ?? t('This model');
      text = alternative
        ? t('{0} is not available on Kie. {1} is the suggested alternative.', name, alternative.label)
        : t('{0} is not available on Kie. Choose another model.', name);
      if (alternative) offer('useModel', t('Use {0}', alternative.label), alternative.id);
      else offer('editForm', t('Change Model'));
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
      text = detail ?? err.message;
      break;
    case 'notFound':
      text = withTask(t('Kie does not know this task. Its results may have expired (Kie keeps them 14 days).'));
      break;
    case 'downloadFailed':
      text = withTask(
        detail
          ? t('The video was generated but could not be downloaded: {0}. Resume the task from the Sora list to try again.', detail)
          : t('The video was generated but could not be downloaded. Resume the task from the Sora list to try again.'),
      );
      offer('retry', t('Retry'));
      break;
    case 'unexpected':
      text = t('Something went wrong: {0}', detail ?? sentence(err.message));
      break;
    case 'cancelled':
      severity = 'warning';
      text = t('Stopped waiting. The credits are already spent; resume the task from the Sora list to get the video.');
      break;
  }
  offer('showLog', t('Show Log'));
  return { severity, text, actions };
}

import { findBundled } from '../core/models/bundledSpecs';
import type { ChoiceIssue, GenerationRequest } from '../core/models/spec';
import type { FormField } from '../webview/messages';
import type { Translate } from './translate';

/** The form field a model-layer issue belongs to. */
export function issueFormField(issue: ChoiceIssue): FormField {
  switch (issue.field) {
    case 'prompt':
    case 'model':
    case 'duration':
      return issue.field;
    case 'aspect':
      return 'aspectRatio';
    case 'first':
    case 'last':
    case 'references':
      return 'image';
    default:
      return 'size';
  }
}

/**
 * The localized sentence shown next to a field for a model-layer issue. Core decides what is wrong (its
 * messages are English, for logs); this says it in the user's language.
 */
export function issueText(issue: ChoiceIssue, request: GenerationRequest, t: Translate): string {
  const label = findBundled(request.model)?.label ?? request.model;
  switch (issue.code) {
    case 'promptEmpty':
      return t('Write a prompt describing the video.');
    case 'promptTooLong':
      return t('The prompt has {0} characters; {1} accepts at most {2}.', request.prompt.length, label, issue.values?.max ?? 0);
    case 'unknownModel':
      return t('Unknown model "{0}": pick one from the list.', request.model);
    case 'imageRequired':
      return t('{0} starts from an image: choose a PNG, JPEG or WebP file.', label);
    case 'notOffered':
      return issue.field === 'first'
        ? t('{0} does not take an image: remove it or pick an image-to-video model.', label)
        : t('{0} does not offer this choice: pick one from the list.', label);
    default:
      return t('{0} does not offer this choice: pick one from the list.', label);
  }
}

import { findModel } from '../core/models/catalog';
import type { GenerationInput, ValidationIssue } from '../core/media/imageCheck';
import { modelDisplayName } from './modelName';
import type { Translate } from './translate';

/**
 * The localized sentence shown next to a field for a core validation issue. Core decides what is
 * wrong (its messages are English, for logs); this says it in the user's language.
 */
export function issueText(issue: ValidationIssue, input: GenerationInput, t: Translate): string {
  const model = findModel(input.model);
  const label = modelDisplayName(model, t) ?? input.model;
  switch (issue.field) {
    case 'prompt':
      if (input.prompt.trim() === '') return t('Write a prompt describing the video.');
      return t('The prompt has {0} characters; {1} accepts at most {2}.', input.prompt.length, label, model?.maxPromptLength ?? 0);
    case 'model':
      return t('Unknown model "{0}": pick one from the list.', input.model);
    case 'aspectRatio':
    case 'duration':
    case 'size':
      return t('{0} does not offer this choice: pick one from the list.', label);
    case 'image':
      return model?.image === 'none'
        ? t('{0} does not take an image: remove it or pick an image-to-video model.', label)
        : t('{0} starts from an image: choose a PNG, JPEG or WebP file.', label);
  }
}

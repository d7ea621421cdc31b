import type { ChoiceIssue, IssueField, ModelSpec } from '../../core/models/spec';
import { optionLabel } from '../presentation/optionText';
import type { Translate } from '../presentation/translate';

/** The localized name of a field an issue is about: a concept, an image role, or a model's own field. */
export function fieldName(field: IssueField | string, t: Translate): string {
  switch (field) {
    case 'aspect':
      return t('Aspect ratio');
    case 'duration':
      return t('Duration');
    case 'resolution':
      return t('Resolution');
    case 'audio':
      return t('Generate audio');
    case 'seed':
      return t('Seed');
    case 'negative':
      return t('Negative prompt');
    case 'prompt':
      return t('Prompt');
    case 'model':
      return t('Model');
    case 'first':
      return t('First frame');
    case 'last':
      return t('Last frame');
    case 'references':
      return t('Reference images');
    default:
      return optionLabel(field.startsWith('option:') ? field.slice(7) : field, t);
  }
}

const v = (issue: ChoiceIssue, key: string): string | number => issue.values?.[key] ?? '';

/**
 * The sentence shown next to a field for a ChoiceIssue. Core decides what is wrong, as a code with its
 * values (its own messages are English, for logs and agents); this says it in the user's language.
 */
export function issueText(issue: ChoiceIssue, spec: ModelSpec | undefined, t: Translate, labelOf: (id: string) => string = (id) => id): string {
  const model = spec?.label ?? '';
  const name = fieldName(issue.field, t);
  switch (issue.code) {
    case 'promptEmpty':
      return t('Write a prompt describing the video.');
    case 'promptTooLong':
      return t('The prompt has {0} characters; {1} accepts at most {2}.', v(issue, 'length'), model, v(issue, 'max'));
    case 'promptTooShort':
      return t('{0} needs a prompt of at least {1} characters.', model, v(issue, 'min'));
    case 'notOffered':
      if (issue.field === 'first') return t('{0} does not start from an image: remove it or pick an image-to-video model.', model);
      if (issue.field === 'last') return t('{0} takes no last frame: remove it.', model);
      if (issue.field === 'references') return t('{0} takes no reference images: remove them.', model);
      return t('{0} has no “{1}” option.', model, name);
    case 'notAllowed':
      return t('{0} does not take {1} “{2}”: choose {3}.', model, name, v(issue, 'value'), v(issue, 'allowed'));
    case 'outOfRange':
      // A text's length comes as a number, a number out of its range as the text the user typed.
      if (typeof v(issue, 'value') === 'number') {
        return t('{0} has {1} characters; at most {2}.', name, v(issue, 'value'), v(issue, 'max'));
      }
      return t('{0} takes {1} from {2} to {3}, not “{4}”.', model, name, v(issue, 'min'), v(issue, 'max'), v(issue, 'value'));
    case 'required':
      return t('{0} needs a value for {1}.', model, name);
    case 'imageRequired':
      return t('{0} starts from an image: choose a PNG, JPEG or WebP file.', model);
    case 'lastNeedsFirst':
      return t('A last frame needs a first frame.');
    case 'tooManyReferences':
      return t('{0} takes at most {1} reference images, not {2}.', model, v(issue, 'max'), v(issue, 'count'));
    case 'tooFewReferences':
      return t('{0} needs at least {1} reference images.', model, v(issue, 'min'));
    case 'framesOrReferences':
      return t('{0} takes frames or reference images, not both: remove one or the other.', model);
    case 'referenceDuration':
      return t('With reference images {0} makes {1}-second videos only.', model, v(issue, 'allowed'));
    case 'unknownOption':
      return t('{0} has no option “{1}”.', model, v(issue, 'option'));
    case 'retired': {
      const alternative = v(issue, 'alternative');
      return alternative
        ? t('{0} is retired: Kie no longer serves it. Use {1} instead.', model, labelOf(String(alternative)))
        : t('{0} is retired: Kie no longer serves it. Choose another model.', model);
    }
    case 'unknownModel':
      return t('Unknown model “{0}”: pick one from the list.', String(v(issue, 'model') || model));
    case 'schema':
      return t('Kie’s schema for {0} does not accept this: {1}', model, issue.values?.problem ?? issue.message);
  }
}


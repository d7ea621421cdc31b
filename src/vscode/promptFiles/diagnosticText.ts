import * as path from 'path';
import type { PromptDiagnostic } from '../../core/prompts/promptDiagnostics';
import type { Translate } from '../presentation/translate';

/**
 * A prompt-file problem in the user's language. The core says what is wrong as data (code and values,
 * with an English message for logs); this words it, with the values it carries.
 */
export function diagnosticText(d: PromptDiagnostic, t: Translate): string {
  const v = (k: string): string => String(d.values?.[k] ?? '');
  switch (d.code) {
    case 'noFrontMatter':
      return t('A prompt file starts with front matter: a line "---", the settings (model: veo3_fast ...), another "---", then the prompt.');
    case 'unclosedFrontMatter':
      return t('The front matter is not closed: add a line "---" after the settings, then the prompt.');
    case 'yaml':
      return t('The front matter is not valid YAML: {0}', v('detail'));
    case 'notAMapping':
      return t('The front matter holds settings as "key: value" lines.');
    case 'modelMissing':
      return t('Say which model makes the video: add a line "model: veo3_fast" (or another model id) to the front matter.');
    case 'unknownKey':
      return d.values?.suggestion
        ? t('Prompt files have no key "{0}": write "{1}". A model\'s own fields go under "options:".', v('key'), v('suggestion'))
        : t('Prompt files have no key "{0}". A model\'s own fields go under "options:".', v('key'));
    case 'badValue':
      return t('"{0}" takes {1}, not {2}.', v('key'), v('expected'), v('value'));
    case 'variants':
      return t('"variants" is 1 to {0}, not {1}.', v('max'), v('value'));
    case 'unknownModel':
      return d.values?.alternative ? t('Unknown model "{0}". Use {1}?', v('model'), v('alternative')) : t('Unknown model "{0}": use a model id from the Sora form\'s list.', v('model'));
    case 'retired':
      return t('{0} is retired: Kie no longer makes videos with it. Use {1}.', v('model'), v('alternative'));
    case 'promptEmpty':
      return t('Write a prompt describing the video.');
    case 'promptTooLong':
      return t('The prompt has {0} characters; {1} accepts at most {2}.', v('length'), v('model'), v('max'));
    case 'promptTooShort':
      return t('{0} needs a prompt of at least {1} characters.', v('model'), v('min'));
    case 'notOffered':
      return t('{0} does not take this setting: remove it or choose another model.', v('model'));
    case 'notAllowed':
      return t('{0} does not take "{1}" here: use {2}.', v('model'), v('value'), v('allowed'));
    case 'outOfRange':
      return t('{0} takes {1} to {2} here, not {3}.', v('model'), v('min'), v('max'), v('value'));
    case 'required':
      return t('{0} needs a value here.', v('model'));
    case 'imageRequired':
      return t('{0} starts from an image: add "image: <path to a PNG, JPEG or WebP file>".', v('model'));
    case 'lastNeedsFirst':
      return t('A last frame needs a first frame: add "image:".');
    case 'tooManyReferences':
      return t('{0} takes at most {1} reference images, not {2}.', v('model'), v('max'), v('count'));
    case 'tooFewReferences':
      return t('{0} needs at least {1} reference images.', v('model'), v('min'));
    case 'framesOrReferences':
      return t('{0} takes frames or reference images, not both.', v('model'));
    case 'referenceDuration':
      return t('With reference images {0} makes {1}-second videos only.', v('model'), v('allowed'));
    case 'unknownOption':
      return t('{0} has no option "{1}".', v('model'), v('option'));
    case 'schema':
      return t('Kie\'s schema for {0} refuses this request.', v('model'));
    case 'imageMissing':
      return t('There is no image at {0}.', path.basename(v('path')));
    case 'imageEmpty':
      return t('The image {0} is empty.', path.basename(v('path')));
    case 'imageTooLarge':
      return t('The image {0} is over 10 MB, the most Kie accepts.', path.basename(v('path')));
    case 'imageUnsupported':
      return t('The image {0} is not a PNG, JPEG or WebP file.', path.basename(v('path')));
  }
}

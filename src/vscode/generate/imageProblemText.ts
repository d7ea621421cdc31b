import type { ImageProblem, OtherImageFormat } from '../../core/media/imageCheck';
import type { Translate } from '../presentation/translate';

const MB = 1024 * 1024;

/** The sentence shown under the form's image field (or in a notification) when an image is refused. */
export function imageProblemText(p: ImageProblem, t: Translate): string {
  switch (p.reason) {
    case 'notAFile':
      return t('{0} is not a file: choose a PNG, JPEG or WebP image.', p.name);
    case 'unreadable':
      return t('Cannot read the image {0}: {1}', p.name, p.cause);
    case 'empty':
      return t('{0} is empty: choose a PNG, JPEG or WebP image.', p.name);
    case 'tooLarge':
      return t('{0} is {1} MB; Kie accepts images up to {2} MB. Resize or compress it first.', p.name, (p.bytes / MB).toFixed(1), Math.round(p.maxBytes / MB));
    case 'otherFormat':
      return formatText(p.name, p.format, t);
    case 'unknownFormat':
      return t('{0} is not a PNG, JPEG or WebP image (its contents do not match any of them). Convert it first.', p.name);
  }
}

/** One whole sentence per format, so each language can place the format's name as it needs. */
function formatText(name: string, format: OtherImageFormat, t: Translate): string {
  switch (format) {
    case 'gif':
      return t('{0} is a GIF image; Kie accepts only PNG, JPEG or WebP images. Convert it first.', name);
    case 'bmp':
      return t('{0} is a BMP image; Kie accepts only PNG, JPEG or WebP images. Convert it first.', name);
    case 'heifOrVideo':
      return t('{0} is a HEIC/AVIF or video file; Kie accepts only PNG, JPEG or WebP images. Convert it first.', name);
    case 'tiff':
      return t('{0} is a TIFF image; Kie accepts only PNG, JPEG or WebP images. Convert it first.', name);
    case 'pdf':
      return t('{0} is a PDF document; Kie accepts only PNG, JPEG or WebP images. Convert it first.', name);
    case 'svgOrXml':
      return t('{0} is an SVG or XML file; Kie accepts only PNG, JPEG or WebP images. Convert it first.', name);
  }
}

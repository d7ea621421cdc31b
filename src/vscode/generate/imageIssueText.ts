import { open, stat } from 'fs/promises';
import * as path from 'path';
import { MAX_IMAGE_BYTES, detectImageType } from '../../core/media/imageCheck';
import type { Translate } from '../presentation/translate';

/**
 * Why an image cannot go into a slot, in the user's language. Core's image check says it in English for
 * logs; this looks at the file again (only after that check failed) to name the problem.
 */
export async function imageIssueText(file: string, t: Translate): Promise<string> {
  const name = path.basename(file);
  let size: number;
  try {
    const st = await stat(file);
    if (!st.isFile()) return t('{0} is not a file: choose a PNG, JPEG or WebP image.', name);
    size = st.size;
  } catch {
    return t('Cannot read the image {0}. Check that the file exists.', name);
  }
  if (size === 0) return t('{0} is empty: choose a PNG, JPEG or WebP image.', name);
  if (size > MAX_IMAGE_BYTES) return t('{0} is {1} MB; Kie accepts images up to {2} MB. Resize or compress it first.', name, (size / (1024 * 1024)).toFixed(1), MAX_IMAGE_BYTES / (1024 * 1024));
  const head = new Uint8Array(16);
  try {
    const handle = await open(file, 'r');
    try {
      await handle.read(head, 0, head.length, 0);
    } finally {
      await handle.close();
    }
  } catch {
    return t('Cannot read the image {0}. Check that the file exists.', name);
  }
  if (!detectImageType(head)) return t('{0} is not a PNG, JPEG or WebP image (its contents do not match any of them). Convert it first.', name);
  return t('Cannot use the image {0}.', name);
}

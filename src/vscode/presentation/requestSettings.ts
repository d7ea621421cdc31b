import { readGenerationRequest } from '../../core/models/legacyRequest';
import type { GenerationRequest } from '../../core/models/spec';
import { optionLabel, optionValueText } from './optionText';
import type { Translate } from './translate';

/** The options of a request as label/value rows, for the player and tooltips. */
export function requestSettings(stored: GenerationRequest, t: Translate): { label: string; value: string }[] {
  const req = readGenerationRequest(stored);
  const rows: { label: string; value: string }[] = [];
  if (req.aspect) rows.push({ label: t('Aspect ratio'), value: optionValueText('aspect', req.aspect, t) });
  if (req.duration !== undefined) rows.push({ label: t('Duration'), value: t('{0} seconds', req.duration) });
  if (req.resolution) rows.push({ label: t('Resolution'), value: optionValueText('resolution', req.resolution, t) });
  if (req.audio !== undefined) rows.push({ label: t('Audio'), value: req.audio ? t('Yes') : t('No') });
  if (req.seed !== undefined) rows.push({ label: t('Seed'), value: String(req.seed) });
  if (req.negative) rows.push({ label: t('Negative prompt'), value: req.negative });
  for (const [field, value] of Object.entries(req.options ?? {})) {
    rows.push({ label: optionLabel(field, t), value: optionValueText(field, value, t) });
  }
  return rows;
}

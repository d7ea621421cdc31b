import type { Translate } from './translate';

/**
 * Localized names for the fields a model has of its own, keyed by Kie's schema name
 * (`enableTranslation`), and for the values Kie spells as words, keyed `concept=value` (`aspect=Auto`)
 * or, for a model-own field, `field=value`. Keyed by name, not
 * by model: a new model whose fields are already here needs nothing; a field not here shows its schema
 * name, and a live schema's description is quoted as Kie's.
 */
export interface OptionTexts {
  labels: Record<string, string>;
  hints: Record<string, string>;
  values: Record<string, string>;
}

export function optionTexts(t: Translate): OptionTexts {
  return {
    labels: {
      enableTranslation: t('Translate prompt to English'),
      return_last_frame: t('Return last frame'),
      prompt_extend: t('Extend prompt'),
      watermark: t('Watermark'),
      remove_watermark: t('Remove watermark'),
      mode: t('Style'),
      size: t('Quality'),
    },
    hints: {
      enableTranslation: t('Kie translates the prompt into English before the model reads it.'),
      return_last_frame: t('Kie also returns the video’s last frame as an image.'),
      prompt_extend: t('The model rewrites and extends the prompt before generating.'),
      watermark: t('Adds the provider’s watermark to the video.'),
    },
    values: {
      'aspect=Auto': t('Auto (follows the image)'),
      'aspect=adaptive': t('Adaptive (follows the image)'),
      'aspect=landscape': t('Landscape'),
      'aspect=portrait': t('Portrait'),
      'resolution=std': t('Standard (720p)'),
      'resolution=pro': t('Pro (1080p)'),
      'mode=fun': t('Fun'),
      'mode=normal': t('Normal'),
      'mode=spicy': t('Spicy'),
      'size=standard': t('Standard'),
      'size=high': t('High'),
    },
  };
}

/** A model-own field's name: its localized label, else Kie's schema name. */
export function optionLabel(field: string, t: Translate): string {
  return optionTexts(t).labels[field] ?? field;
}

/** How a value is shown: its localized name where Kie spells it as a word, else as Kie writes it. */
export function optionValueText(conceptOrField: string, value: string | number | boolean, t: Translate): string {
  if (typeof value === 'boolean') return value ? t('Yes') : t('No');
  return optionTexts(t).values[`${conceptOrField}=${value}`] ?? String(value);
}

import type { ModelKind } from '../../core/models/spec';
import type { Translate } from './translate';

/** What a model makes, in the user's language; undefined for a kind this release does not know. */
export function modelKindLabel(kind: ModelKind | string | undefined, t: Translate): string | undefined {
  switch (kind) {
    case 'text':
      return t('text to video');
    case 'image':
      return t('image to video');
    case 'frames':
      return t('first and last frame');
    case 'reference':
      return t('reference images to video');
    default:
      return undefined;
  }
}

/**
 * A model's name as the UI shows it: its own name (a product name such as "Sora 2 Pro", never
 * translated) beside its localized kind. Takes what `findModel` returns so call sites keep their shape:
 * `modelDisplayName(findModel(id), t) ?? id`.
 */
export function modelDisplayName(spec: { label: string; kind?: ModelKind | string } | undefined, t: Translate): string | undefined {
  if (!spec) return undefined;
  const kind = modelKindLabel(spec.kind, t);
  return kind ? t('{0} · {1}', spec.label, kind) : spec.label;
}

/**
 * A retirement note is catalog data; each note the catalog has gets its sentence here, as a literal key
 * the bundles can translate. A note this table does not know yet is still shown, inside a localized frame.
 */
export function retirementNote(note: string, t: Translate): string {
  switch (note) {
    case 'OpenAI shut the Sora 2 API down on 2026-09-24 and Kie has answered every Sora 2 request with "temporarily paused" since June 2026.':
      return t('OpenAI shut the Sora 2 API down on 2026-09-24 and Kie has answered every Sora 2 request with "temporarily paused" since June 2026.');
    default:
      return t('This model is being retired: {0}', note);
  }
}

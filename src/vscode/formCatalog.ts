import type { ModelSpec } from '../core/models/spec';
import type { CatalogView, ModelEntry } from '../webview/messages';

/** What the generate form needs of the model catalog (bundled specs plus Kie's live catalog). */
export interface FormCatalog {
  list(): ModelEntry[];
  info(): CatalogView;
  /** Asks Kie's discovery API again (in the background; the bundled list serves meanwhile). */
  refresh(): Promise<unknown>;
  markUnavailable(id: string): void;
  onDidChange(listener: () => void): { dispose(): void };
}

/**
 * Live models to suggest instead of one Kie refused: the successor a retired spec names first, then
 * models that start from the same images, healthy ones before the rest.
 */
export function liveAlternatives(entries: readonly ModelEntry[], id: string, max = 3): ModelSpec[] {
  const from = entries.find((e) => e.spec.id === id)?.spec;
  const usable = entries.filter((e) => e.spec.id !== id && !e.spec.retired && !e.unavailable);
  const same = (s: ModelSpec) => !!s.images.first === !!from?.images.first;
  const ranked = [...usable].sort((a, b) => score(b, same) - score(a, same));
  const preferred = usable.find((e) => e.spec.id === from?.retired?.alternative);
  const out = preferred ? [preferred, ...ranked.filter((e) => e !== preferred)] : ranked;
  return out.slice(0, max).map((e) => e.spec);
}

function score(e: ModelEntry, same: (s: ModelSpec) => boolean): number {
  return (same(e.spec) ? 2 : 0) + ((e.successRate ?? 1) >= 0.8 ? 1 : 0);
}

/** The bundled specs alone: what the form lists until the live catalog (ModelCatalog on main) is wired. */
export function bundledCatalog(specs: readonly ModelSpec[]): FormCatalog {
  return {
    list: () => specs.map((spec) => ({ spec })),
    info: () => ({ source: 'bundled' }),
    refresh: () => Promise.resolve(),
    markUnavailable: () => undefined,
    onDidChange: () => ({ dispose: () => undefined }),
  };
}

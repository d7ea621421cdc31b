import { BUNDLED_SPECS, DEFAULT_MODEL, findBundled } from '../models/bundledSpecs';
import type { ModelSpec } from '../models/spec';
import type { ModelLookup } from './promptDiagnostics';

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/**
 * Models for prompt files from a list of specs (the bundled ones until the live catalog is wired in):
 * a retired model's alternative is its spec's; an unknown id gets the closest live id when it is a
 * likely typo, and any Sora id (every old Sora file) the default model.
 */
export function modelLookup(specs: () => readonly ModelSpec[] = () => BUNDLED_SPECS, find: (id: string) => ModelSpec | undefined = findBundled): ModelLookup {
  return {
    spec: find,
    alternatives: (id) => {
      const known = find(id);
      if (known?.retired) return [known.retired.alternative];
      if (known) return [];
      const live = specs().filter((s) => !s.retired);
      const scored = live.map((s) => ({ id: s.id, d: distance(id.toLowerCase(), s.id.toLowerCase()) })).sort((a, b) => a.d - b.d);
      const near = scored.filter((s) => s.d <= Math.max(2, Math.floor(s.id.length / 4))).map((s) => s.id);
      if (near.length) return near;
      return /^sora/i.test(id) ? [DEFAULT_MODEL] : [];
    },
  };
}

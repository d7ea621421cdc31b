import { conceptValue } from './choices';
import type { ModelSpec, VideoChoices } from './spec';

export interface PriceEstimate {
  /** Credits for these choices by the spec's rule, rounded to 0.1; absent when the rule has no figure. */
  credits?: number;
  /** Credits per second of output, for per-second rules. */
  perSecond?: number;
  /** The day the rule's figures were checked. */
  checked?: string;
  /** Kie's own pricing text, shown beside (or instead of) the estimate. */
  pricingDesc?: string;
}

function lookup(table: Readonly<Record<string, number>>, parts: string[]): number | undefined {
  const exact = table[parts.join('|')];
  if (exact !== undefined) return exact;
  for (const [key, rate] of Object.entries(table)) {
    const segs = key.split('|');
    if (segs.length === parts.length && segs.every((s, i) => s === '*' || s === parts[i])) return rate;
  }
  return undefined;
}

/** The credit cost of a request by the model's price rule, with Kie's own text where it is known. */
export function priceFor(spec: ModelSpec, choices: VideoChoices, pricingDesc = spec.pricingDesc): PriceEstimate {
  const out: PriceEstimate = pricingDesc ? { pricingDesc } : {};
  const rule = spec.price;
  if (!rule) return out;
  const parts = rule.keyBy.map((c) => String(conceptValue(spec, c, choices) ?? '*'));
  const rate = lookup(rule.table, parts);
  if (rate === undefined) return { ...out, checked: rule.checked };
  if (rule.unit === 'video') return { ...out, credits: rate, checked: rule.checked };
  const seconds = Number(conceptValue(spec, 'duration', choices));
  return {
    ...out,
    perSecond: rate,
    checked: rule.checked,
    ...(Number.isFinite(seconds) && seconds > 0 ? { credits: Math.round(rate * seconds * 10) / 10 } : {}),
  };
}

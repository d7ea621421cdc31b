/**
 * How much a task costs: a rate picked by the values of some input fields, per video or per second of
 * output. `@images` stands for "image" or "text" (whether the request carries any image).
 */
export interface CreditRule {
  unit: 'second' | 'video';
  /** Input fields whose values, joined with `/`, pick the rate; a `*` in a rate key matches any value. */
  by: string[];
  /** Values assumed for fields of `by` the request leaves out (Kie's defaults). */
  defaults: Record<string, string>;
  rates: Record<string, number>;
  /** Per-second rules: the input field holding the seconds and the default when it is absent or -1 (auto). */
  durationField?: string;
  defaultSeconds?: number;
}

const IMAGE_FIELDS = ['imageUrls', 'image_urls', 'image_url', 'first_frame_url', 'reference_image_urls'];

function hasImage(input: Record<string, unknown>): boolean {
  return IMAGE_FIELDS.some((f) => {
    const v = input[f];
    return Array.isArray(v) ? v.length > 0 : typeof v === 'string' && v !== '';
  });
}

function valueOf(input: Record<string, unknown>, field: string, rule: CreditRule): string {
  if (field === '@images') return hasImage(input) ? 'image' : 'text';
  const v = input[field];
  return v === undefined || v === null ? (rule.defaults[field] ?? '') : String(v);
}

function rateFor(rule: CreditRule, values: string[]): number | undefined {
  for (const [key, rate] of Object.entries(rule.rates)) {
    const parts = key.split('/');
    if (parts.length === values.length && parts.every((p, i) => p === '*' || p === values[i])) return rate;
  }
  return undefined;
}

/** Credits charged for `input`, or undefined when no rate applies (the request is then refused before). */
export function creditsFor(rule: CreditRule, input: Record<string, unknown>): number | undefined {
  const rate = rateFor(rule, rule.by.map((f) => valueOf(input, f, rule)));
  if (rate === undefined) return undefined;
  if (rule.unit === 'video') return rate;
  const raw = rule.durationField === undefined ? undefined : Number(input[rule.durationField]);
  const seconds = raw === undefined || !Number.isFinite(raw) || raw <= 0 ? (rule.defaultSeconds ?? 1) : raw;
  return Math.round(rate * seconds * 100) / 100;
}

import { isRecord, tryParseJson } from './envelope';

/** Kie leaves empty fields as "" or null; both mean absent. */
export function optionalString(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

export function optionalNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** Epoch milliseconds from a number, a numeric string, or a date string such as "2025-06-06 10:30:00". */
export function optionalTime(v: unknown): number | undefined {
  const n = optionalNumber(v);
  if (n !== undefined) return n;
  const s = optionalString(v);
  if (s === undefined) return undefined;
  const t = Date.parse(s.includes('T') ? s : s.replace(' ', 'T'));
  return Number.isNaN(t) ? undefined : t;
}

export function optionalProgress(v: unknown): number | undefined {
  const n = optionalNumber(v);
  return n === undefined ? undefined : Math.min(100, Math.max(0, n));
}

/** A field documented as a JSON string that may also arrive as an object, "" or null. */
export function jsonField(v: unknown): Record<string, unknown> | undefined {
  if (isRecord(v)) return v;
  if (typeof v === 'string') {
    const parsed = tryParseJson(v);
    return isRecord(parsed) ? parsed : undefined;
  }
  return undefined;
}

const URL_IN_TEXT = /https?:\/\/[^\s"'\],[]+/g;

/** A URL list given as an array, a JSON array string, or a loose string such as "[https://a.mp4]". */
export function urlList(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((u): u is string => typeof u === 'string' && u.trim() !== '').map((u) => u.trim());
  if (typeof v === 'string') {
    const parsed = tryParseJson(v);
    if (Array.isArray(parsed)) return urlList(parsed);
    return v.match(URL_IN_TEXT) ?? [];
  }
  return [];
}

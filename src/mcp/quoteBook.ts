import { createHash, randomBytes } from 'node:crypto';
import type { Quote, VideoArgs } from '../core/agents/videoTools';

/** How long a price the client saw stays good for a generate_video call. */
export const QUOTE_TTL_MS = 10 * 60 * 1000;

interface Entry {
  argsHash: string;
  expiresAt: number;
  quote: Quote;
}

/** Canonical JSON (sorted keys) so the same request quoted and generated hashes the same. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export function argsHash(args: VideoArgs): string {
  return createHash('sha256').update(canonical(args)).digest('hex');
}

/**
 * Quotes given to the MCP client. generate_video spends credits only for a quote that exists, has not
 * expired, and was given for exactly the same request; each quote is used once.
 */
export class QuoteBook {
  private readonly quotes = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(args: VideoArgs, quote: Quote): { quoteId: string; expiresAt: string } {
    const quoteId = `q_${randomBytes(9).toString('base64url')}`;
    const expiresAt = this.now() + QUOTE_TTL_MS;
    this.quotes.set(quoteId, { argsHash: argsHash(args), expiresAt, quote });
    return { quoteId, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** The reason a quote cannot pay for `args`, or undefined when it can (and it is then used up). */
  redeem(quoteId: string | undefined, args: VideoArgs): string | undefined {
    for (const [id, e] of this.quotes) if (e.expiresAt <= this.now()) this.quotes.delete(id);
    if (!quoteId) return 'generate_video needs the quote_id of a quote_video answer for the same request: call quote_video first and show the price.';
    const entry = this.quotes.get(quoteId);
    if (!entry) return `Quote ${quoteId} is unknown, used or expired (quotes last ${QUOTE_TTL_MS / 60000} minutes): call quote_video again.`;
    if (entry.argsHash !== argsHash(args)) return `Quote ${quoteId} was given for a different request: call quote_video with exactly these arguments.`;
    if (!entry.quote.ok) return `Quote ${quoteId} listed problems; fix them and call quote_video again.`;
    this.quotes.delete(quoteId);
    return undefined;
  }
}

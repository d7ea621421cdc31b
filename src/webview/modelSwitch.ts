import { carryOver } from '../core/models/carryOver';
import { modelOption, type GenerationRequest, type ModelSpec, type VideoChoices } from '../core/models/spec';

/**
 * Moving a request to another model, for the form's picker (webview) and for "Use <model>" and
 * "Generate Again" (host) alike: carryOver keeps every value that still applies; a duration the new
 * model cannot make moves to its closest one rather than being lost (Sora's 10 s becomes Veo's 8 s).
 * No `vscode` and no DOM here: both bundles import this file.
 */
export function fitRequest(from: ModelSpec | undefined, to: ModelSpec, request: VideoChoices): { request: GenerationRequest; dropped: string[] } {
  const moved = carryOver(from, to, request);
  const out: GenerationRequest = { ...moved.choices, model: to.id };
  let dropped = moved.dropped;
  const duration = modelOption(to, 'duration');
  if (request.duration !== undefined && out.duration === undefined && duration) {
    const allowed = duration.values ? duration.values.map((v) => Number(v.value)).filter(Number.isFinite) : [duration.min, duration.max].filter((n): n is number => n !== undefined);
    if (allowed.length > 0) {
      const want = request.duration;
      out.duration = allowed.reduce((best, n) => (Math.abs(n - want) < Math.abs(best - want) ? n : best));
      dropped = dropped.filter((d) => d !== 'duration');
    }
  }
  return { request: out, dropped };
}


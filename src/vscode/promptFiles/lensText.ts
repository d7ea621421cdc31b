import type { PlanEntry } from '../../core/prompts/batchPlan';
import type { TaskRecord } from '../../core/tasks/task';
import { taskGroup } from '../tasks/taskPresentation';
import type { Translate } from '../presentation/translate';

/** "just now", "12 min ago", "2 h ago", "3 d ago". */
export function agoText(ms: number, t: Translate): string {
  const min = Math.floor(ms / 60_000);
  if (min < 1) return t('just now');
  if (min < 60) return t('{0} min ago', min);
  const h = Math.floor(min / 60);
  if (h < 24) return t('{0} h ago', h);
  return t('{0} d ago', Math.floor(h / 24));
}

function creditsText(credits: number | undefined, t: Translate): string | undefined {
  return credits === undefined ? undefined : t('≈{0} credits', credits);
}

/** The lenses' titles, from the plan of the file and its latest task (pure: unit-tested). */
export function lensTitles(entry: PlanEntry, latest: TaskRecord | undefined, now: number, t: Translate): { generate?: string; state?: string; open?: boolean } {
  const price = creditsText(entry.credits, t);
  const out: { generate?: string; state?: string; open?: boolean } = {};
  if (entry.status === 'invalid') {
    out.state = t('⚠ {0} problem(s): see the Problems view', entry.diagnostics.length);
    return out;
  }
  if (entry.status === 'generate') {
    const verb = entry.reason === 'changed' || entry.reason === 'failed' || entry.reason === 'missingVideo' ? t('Regenerate') : t('Generate');
    out.generate = price ? `▶ ${verb} · ${price}` : `▶ ${verb}`;
  }
  if (!latest) return out;
  const group = taskGroup(latest.state);
  if (group === 'running') out.state = t('generating {0} s', Math.max(0, Math.round((now - latest.createdAt) / 1000)));
  else if (group === 'completed') {
    out.state = t('✓ {0}', agoText(now - latest.updatedAt, t));
    out.open = true;
  } else if (group === 'failed') out.state = t('✗ failed: {0}', latest.error?.detail ?? latest.error?.message ?? '');
  else if (group === 'unknown') out.state = t('? submission unconfirmed: it may exist at Kie');
  else out.state = t('stopped waiting');
  return out;
}


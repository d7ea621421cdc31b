import * as path from 'path';
import type { BatchPlan } from '../../core/prompts/batchPlan';
import type { Translate } from '../presentation/translate';

/** The plan as the confirmation shows it: one question and the figures behind it (pure: unit-tested). */
export function planSummary(plan: BatchPlan, folderName: string, t: Translate): { question: string; facts: string; action: string } {
  const n = plan.toSend.length;
  const videos = plan.toSend.reduce((s, e) => s + e.variants, 0);
  const lines: string[] = [];
  lines.push(t('{0} prompt file(s) up to date, {1} to generate ({2} video(s)).', plan.counts.upToDate, plan.counts.generate, videos));
  lines.push(plan.unpriced > 0 ? t('Estimated cost: ≈{0} credits, plus {1} file(s) whose price is not known.', plan.credits, plan.unpriced) : t('Estimated cost: ≈{0} credits.', plan.credits));
  if (plan.balanceAfter !== undefined) lines.push(t('Balance after: ≈{0} credits.', plan.balanceAfter));
  if (plan.counts.running > 0) lines.push(t('{0} still generating from an earlier run: not sent again.', plan.counts.running));
  if (plan.counts.uncertain > 0) lines.push(t('{0} whose last submission may exist at Kie: not sent again (generate each alone to retry).', plan.counts.uncertain));
  if (plan.counts.invalid > 0) {
    const names = plan.entries.filter((e) => e.status === 'invalid').map((e) => path.basename(e.file));
    lines.push(t('{0} with problems, not sent: {1}.', plan.counts.invalid, names.slice(0, 5).join(', ') + (names.length > 5 ? ', …' : '')));
  }
  if (plan.overBudget.length > 0) lines.push(planBudgetStopText(plan, t));
  return {
    question: t('Generate {0} prompt file(s) in {1}?', n, folderName),
    facts: lines.join('\n'),
    action: t('Generate {0} Video(s)', videos),
  };
}

/** A file the batch budget left out, with its estimate (undefined: price not known). */
export interface OverBudgetFile {
  file: string;
  credits?: number;
}

/** Why the budget stopped the batch and which files it left out, each with its estimate. */
export function budgetStopText(budget: number, sent: { files: number; credits: number }, notSent: readonly OverBudgetFile[], t: Translate): string {
  const names = notSent.slice(0, 5).map((e) => t('{0} ({1})', path.basename(e.file), e.credits !== undefined ? t('≈{0} credits', e.credits) : t('price not known')));
  return t(
    'The batch budget (sora.batchBudgetCredits: {0} credits) stops the batch after {1} file(s) (≈{2} credits): the next would pass it. Not sent: {3}.',
    budget,
    sent.files,
    sent.credits,
    names.join(', ') + (notSent.length > 5 ? ', …' : ''),
  );
}

/** The budget stop as the plan foresees it. */
export function planBudgetStopText(plan: BatchPlan, t: Translate): string {
  return budgetStopText(plan.budget, { files: plan.toSend.length, credits: plan.credits }, plan.overBudget, t);
}

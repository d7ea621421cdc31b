import * as path from 'path';
import * as vscode from 'vscode';
import type { CompareOptions } from '../compare/compareView';

/**
 * Prompt files hand the compare view their finished variants and get "Keep this one" back. The
 * extension wires the real view in; without it, a quick pick lists the takes, so variants work either way.
 */
export type OpenCompare = (request: CompareOptions) => unknown;

/** The fallback: pick the take to keep by name, each openable from the list. */
export const pickTakeToKeep: OpenCompare = async (request) => {
  const items = request.takes.map((take, i) => ({
    label: vscode.l10n.t('Take {0}: {1}', i + 1, path.basename(take.videoPath)),
    description: take.credits !== undefined ? vscode.l10n.t('≈{0} credits', take.credits) : undefined,
    take,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: request.title, placeHolder: vscode.l10n.t('Keep which take as the prompt file\'s video?') });
  if (picked) await request.onKeep(picked.take.taskId);
};

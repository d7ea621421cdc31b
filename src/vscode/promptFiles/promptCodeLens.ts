import * as vscode from 'vscode';
import type { PlanEntry } from '../../core/prompts/batchPlan';
import { isPromptFile } from '../../core/prompts/promptFile';
import type { TaskRecord } from '../../core/tasks/task';
import { taskGroup } from '../taskPresentation';
import type { Translate } from '../translate';
import { PROMPT_FILE_SELECTOR } from './promptDiagnosticsProvider';
import type { PromptRuns } from './promptRuns';

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

/**
 * Above the front matter: "▶ Generate · ≈60 credits" (or "Regenerate" when the inputs changed since
 * the last video), and the last run's state from the task history ("✓ 2 h ago · Open", "generating 35
 * s", "✗ failed: <reason>").
 */
export class PromptCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private ticker: ReturnType<typeof setInterval> | undefined;
  private readonly running = new Set<string>();

  constructor(private readonly runs: PromptRuns) {
    this.disposables.push(
      this.changed,
      vscode.languages.registerCodeLensProvider(PROMPT_FILE_SELECTOR, this),
      runs.onDidChange(() => this.changed.fire()),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (isPromptFile(d.uri.fsPath)) this.changed.fire();
      }),
    );
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (doc.uri.scheme !== 'file') return [];
    const file = doc.uri.fsPath;
    const [plan, tasks] = await Promise.all([this.runs.plan([{ file, text: doc.getText() }]), this.runs.tasksOf(file)]);
    const entry = plan.entries[0];
    const latest = tasks[0];
    const titles = lensTitles(entry, latest, Date.now(), vscode.l10n.t);
    const at = new vscode.Range(0, 0, 0, 0);
    const lenses: vscode.CodeLens[] = [];
    if (titles.generate) lenses.push(new vscode.CodeLens(at, { title: titles.generate, command: 'sora.generateFromPromptFile', arguments: [doc.uri] }));
    if (titles.state) {
      lenses.push(new vscode.CodeLens(at, { title: titles.state, command: latest ? 'sora.showTasks' : '', arguments: latest ? [latest.id] : [] }));
    }
    if (titles.open && latest) lenses.push(new vscode.CodeLens(at, { title: vscode.l10n.t('Open'), command: 'sora.openVideo', arguments: [latest.id] }));
    this.tick(doc.uri.toString(), latest !== undefined && taskGroup(latest.state) === 'running');
    return lenses;
  }

  /** "generating 35 s" counts while a prompt file's task runs. */
  private tick(key: string, running: boolean): void {
    if (running) this.running.add(key);
    else this.running.delete(key);
    if (this.running.size > 0) this.ticker ??= setInterval(() => this.changed.fire(), 5000);
    else if (this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  dispose(): void {
    if (this.ticker) clearInterval(this.ticker);
    for (const d of this.disposables) d.dispose();
  }
}

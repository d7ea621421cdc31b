import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { promoteTake } from '../../core/media/outputNaming';
import { readSidecar, type VideoSidecar } from '../../core/media/sidecar';
import type { GenerationRequest } from '../../core/models/spec';
import type { BatchPlan } from '../../core/prompts/batchPlan';
import type { BatchRunResult } from '../../core/prompts/batchRunner';
import { isPromptFile, parsePromptFile, promptFileBaseName, PROMPT_FILE_SUFFIX } from '../../core/prompts/promptFile';
import { promptFileText } from '../../core/prompts/promptFileText';
import type { TaskRecord } from '../../core/tasks/task';
import { finishedTakes, variantSiblings } from '../../core/tasks/variantTakes';
import type { CoreServices } from '../coreServices';
import type { KeyStore } from '../keys/keyStore';
import type { Notifier } from '../presentation/notify';
import type { TaskProgress } from '../tasks/progress';
import { diagnosticText } from './diagnosticText';
import { pickTakeToKeep, type OpenCompare } from './compareTakes';
import { budgetStopText, planBudgetStopText, planSummary } from './planSummary';
import type { PromptRuns } from './promptRuns';

export interface PromptFileCommandDeps {
  core: CoreServices;
  keys: KeyStore;
  notifier: Notifier;
  progress: TaskProgress;
  runs: PromptRuns;
  /** The compare view, when the player provides one; a quick pick otherwise. */
  openCompare?: OpenCompare;
}

/** What the generate commands did, for their callers (tests, agents). */
export interface PromptRun {
  plan: BatchPlan;
  result?: BatchRunResult;
}

/** Options callers that showed the plan themselves pass; the palette and menus never do. */
interface RunOptions {
  confirm?: boolean;
}

/**
 * The prompt-file commands: generate one file, generate a folder (plan, one confirmation, send under
 * the budget), save a request as a prompt file, keep one of several variants, continue from a frame.
 */
export class PromptFileCommands implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** Variant sets already offered for comparison (file + batch), so the view opens once per set. */
  private readonly compared = new Set<string>();

  constructor(private readonly deps: PromptFileCommandDeps) {
    this.disposables.push(
      deps.runs.onDidRecordTake((task) => void this.offerComparison(task).catch((err: unknown) => deps.notifier.showError(err))),
    );
  }

  private async requireKey(): Promise<boolean> {
    if (await this.deps.keys.hasKieKey()) return true;
    const set = vscode.l10n.t('Set API Key');
    if ((await this.deps.notifier.warn(vscode.l10n.t('Set your Kie API key before generating videos.'), set)) === set) await vscode.commands.executeCommand('sora.setApiKey');
    return false;
  }

  async generateFile(uri: vscode.Uri | undefined, options: RunOptions = {}): Promise<PromptRun | undefined> {
    const t = vscode.l10n.t;
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!doc || doc.uri.scheme !== 'file' || !isPromptFile(doc.uri.fsPath)) {
      void this.deps.notifier.warn(t('Open a prompt file (*.video.md) first.'));
      return undefined;
    }
    // The lock records what was sent: what is sent is what is on disk.
    if (doc.isDirty) await doc.save();
    const file = doc.uri.fsPath;
    const name = path.basename(file);
    const plan = await this.deps.runs.plan([{ file, text: doc.getText() }]);
    const entry = plan.entries[0];
    const price = entry.credits !== undefined ? t('≈{0} credits', entry.credits) : t('price not known');
    switch (entry.status) {
      case 'invalid': {
        const first = entry.diagnostics[0];
        const show = t('Show Problems');
        const choice = await this.deps.notifier.error(t('{0} has {1} problem(s) and was not sent: {2}', name, entry.diagnostics.length, first ? diagnosticText(first, t) : ''), show);
        if (choice === show) await vscode.commands.executeCommand('workbench.actions.view.problems');
        return { plan };
      }
      case 'running':
        void this.deps.notifier.info(t('{0} is still generating; it is not sent again.', name));
        return { plan };
      case 'uncertain': {
        if (options.confirm !== false) {
          const again = t('Send Again');
          const choice = await this.deps.notifier.confirm(
            t('The last submission of {0} may exist at Kie.', name),
            t('Its answer never arrived, so Kie may have made (and charged for) it. Sending again costs {0}.', price),
            again,
          );
          if (choice !== again) return { plan };
        }
        break;
      }
      case 'upToDate': {
        if (options.confirm !== false) {
          const again = t('Generate Again');
          const choice = await this.deps.notifier.confirm(t('{0} is up to date.', name), t('Its inputs have not changed since its video was made. Generating again costs {0}.', price), again);
          if (choice !== again) return { plan };
        }
        break;
      }
      case 'generate':
        break;
    }
    if (!(await this.requireKey())) return { plan };
    const result = await this.deps.runs.send([entry]);
    const failed = result.failed[0];
    if (failed) {
      await this.deps.notifier.showError(failed.error, { model: entry.request?.model });
      return { plan, result };
    }
    for (const task of result.submitted[0]?.tasks ?? []) this.deps.progress.track(task);
    return { plan, result };
  }

  async generateFolder(uri: vscode.Uri | undefined, options: RunOptions = {}): Promise<PromptRun | undefined> {
    const t = vscode.l10n.t;
    let folder = uri;
    if (folder && (await vscode.workspace.fs.stat(folder)).type === vscode.FileType.File) folder = vscode.Uri.file(path.dirname(folder.fsPath));
    if (!folder) {
      const folders = vscode.workspace.workspaceFolders ?? [];
      const picked =
        folders.length === 1
          ? [folders[0].uri]
          : await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: t('Generate the prompt files in which folder?'), openLabel: t('Plan') });
      folder = picked?.[0];
    }
    if (!folder) return undefined;
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, `**/*${PROMPT_FILE_SUFFIX}`), '**/node_modules/**');
    const folderName = path.basename(folder.fsPath) || folder.fsPath;
    if (found.length === 0) {
      void this.deps.notifier.info(t('There are no prompt files (*.video.md) in {0}.', folderName));
      return undefined;
    }
    const balance = await this.balance();
    const plan = await this.deps.runs.plan(found.map((u) => ({ file: u.fsPath })), balance);
    if (plan.toSend.length === 0) {
      const why = plan.overBudget.length > 0 ? planBudgetStopText(plan, t) : t('{0} up to date, {1} still generating, {2} with problems.', plan.counts.upToDate, plan.counts.running, plan.counts.invalid);
      void this.deps.notifier.info(t('Nothing to send in {0}: {1}', folderName, why));
      return { plan };
    }
    const summary = planSummary(plan, folderName, t);
    if (options.confirm === false) {
      // The caller showed the plan; it is still recorded, so what was agreed to can be checked.
      void this.deps.notifier.info(t('{0}\n{1}', summary.question, summary.facts));
    } else if ((await this.deps.notifier.confirm(summary.question, summary.facts, summary.action)) !== summary.action) {
      return { plan };
    }
    if (!(await this.requireKey())) return { plan };
    const result = await this.deps.runs.send(plan.toSend, { budget: plan.budget });
    this.reportBatch(plan, result, folderName);
    return { plan, result };
  }

  private async balance(): Promise<number | undefined> {
    try {
      const client = await this.deps.core.client();
      return client ? await client.getCredits() : undefined;
    } catch {
      // The plan is shown without the balance rather than not at all.
      return undefined;
    }
  }

  private reportBatch(plan: BatchPlan, result: BatchRunResult, folderName: string): void {
    const t = vscode.l10n.t;
    const sent = result.submitted.length;
    const lines = [t('Sent {0} of {1} prompt file(s) in {2}; they show as one batch in the Sora view.', sent, plan.toSend.length, folderName)];
    if (result.failed.length > 0) {
      const first = result.failed[0].error;
      lines.push(t('{0} could not be sent: {1} ({2})', result.failed.length, result.failed.map((f) => path.basename(f.file)).join(', '), first instanceof Error ? first.message : String(first)));
    }
    if (result.notSent.length > 0) lines.push(t('{0} not sent after that error.', result.notSent.length));
    // The plan's stop, or the runner's when it held a file back at submission.
    const held = new Set(result.overBudget);
    const overBudget = [...plan.toSend.filter((e) => held.has(e.file)), ...plan.overBudget];
    if (overBudget.length > 0) {
      const within = plan.toSend.filter((e) => !held.has(e.file));
      const credits = Math.round(within.reduce((sum, e) => sum + (e.credits ?? 0), 0) * 10) / 10;
      lines.push(budgetStopText(plan.budget, { files: within.length, credits }, overBudget, t));
    }
    const text = lines.join(' ');
    if (result.failed.length > 0 || overBudget.length > 0) void this.deps.notifier.warn(text);
    else void this.deps.notifier.info(text);
  }

  /** Writes a request (and how many variants of it) as a prompt file, asking where; opens it. Returns the file. */
  async save(request: GenerationRequest | undefined, target?: vscode.Uri, variants = 1): Promise<vscode.Uri | undefined> {
    const t = vscode.l10n.t;
    if (!request || typeof request.model !== 'string' || typeof request.prompt !== 'string') {
      void this.deps.notifier.warn(t('There is nothing to save as a prompt file: choose a model and write a prompt first.'));
      return undefined;
    }
    let uri = target;
    if (!uri) {
      const root = vscode.workspace.workspaceFolders?.[0]?.uri;
      const slug = request.prompt.trim().split(/\s+/).slice(0, 4).join('-').toLowerCase().replace(/[^\p{L}\p{N}-]/gu, '') || 'video';
      uri = await vscode.window.showSaveDialog({
        title: t('Save as Prompt File'),
        saveLabel: t('Save'),
        ...(root ? { defaultUri: vscode.Uri.joinPath(root, `${slug}${PROMPT_FILE_SUFFIX}`) } : {}),
        // One extension: the simple file dialog (remote windows, code-server) appends a two-part one to the name again.
        filters: { [t('Prompt files')]: ['md'] },
      });
    }
    if (!uri) return undefined;
    if (!isPromptFile(uri.fsPath)) uri = vscode.Uri.file(uri.fsPath.replace(/(\.video)?(\.md)?$/i, '') + PROMPT_FILE_SUFFIX);
    await fs.mkdir(path.dirname(uri.fsPath), { recursive: true });
    await fs.writeFile(uri.fsPath, promptFileText(request, uri.fsPath, variants), 'utf8');
    await vscode.window.showTextDocument(uri);
    return uri;
  }

  /** When every variant of a file has finished, offers them side by side once; keeping one makes it the file's video. */
  private async offerComparison(task: TaskRecord): Promise<void> {
    const file = task.origin?.file;
    if (!file || !task.origin?.batchId || task.origin.variant === undefined) return;
    const key = `${file}\n${task.origin.batchId}`;
    if (this.compared.has(key)) return;
    const ledger = await this.deps.core.ledger();
    const siblings = variantSiblings(ledger.all(), task);
    const done = finishedTakes(siblings);
    if (!done) return;
    this.compared.add(key);
    await this.openTakes(file, done, siblings.length);
  }

  /**
   * The CodeLens's "Compare N Takes": the latest variants of a prompt file side by side again, after the
   * compare view was closed or the window reloaded; until one is removed, every take can still be kept.
   */
  async compareTakes(uri: vscode.Uri | undefined): Promise<void> {
    const file = uri?.fsPath ?? vscode.window.activeTextEditor?.document.uri.fsPath;
    const latest = file ? (await this.deps.runs.tasksOf(file))[0] : undefined;
    const siblings = latest ? variantSiblings((await this.deps.core.ledger()).all(), latest) : [];
    const done = finishedTakes(siblings);
    if (!file || !done) {
      void this.deps.notifier.info(vscode.l10n.t('This prompt file has no finished takes to compare.'));
      return;
    }
    const canonical = this.deps.runs.canonicalVideo(file);
    await this.openTakes(file, done, siblings.length, done.find((r) => r.localFile === canonical)?.id);
  }

  /** `sent` is how many takes were asked for: an estimate without Kie's figure is shared among them. */
  private async openTakes(file: string, done: TaskRecord[], sent: number, kept?: string): Promise<void> {
    const lock = await this.deps.runs.lockFor(file);
    const estimate = lock.get(file)?.estimatedCredits;
    const open = this.deps.openCompare ?? pickTakeToKeep;
    await open({
      title: vscode.l10n.t('{0}: {1} takes', path.basename(file), done.length),
      takes: done.map((r) => ({
        taskId: r.id,
        videoPath: r.localFile!,
        ...(r.request && 'seed' in r.request && r.request.seed !== undefined ? { seed: r.request.seed as number } : {}),
        ...(r.creditsConsumed !== undefined ? { credits: r.creditsConsumed } : estimate !== undefined ? { credits: Math.round((estimate / sent) * 10) / 10 } : {}),
      })),
      onKeep: async (id) => void (await this.keep(file, id)),
      ...(kept ? { kept } : {}),
    });
  }

  /** "Keep this one": the chosen take becomes `intro.mp4`; the one there is renamed after its task; the lock records the choice. */
  async keep(file: string, recordId: string): Promise<string> {
    const ledger = await this.deps.core.ledger();
    const chosen = ledger.get(recordId);
    if (!chosen?.localFile || !chosen.taskId) throw new Error(vscode.l10n.t('That take has no video on disk to keep.'));
    const { dir, name } = this.deps.runs.outputFor(file);
    const moves = await promoteTake(dir, name, chosen.localFile, chosen.taskId, async (sidecar) => (await readSidecar(sidecar))?.taskId);
    const service = await this.deps.core.taskService();
    for (const m of moves) await service.movedVideo(m.from, m.to);
    const lock = await this.deps.runs.lockFor(file);
    const canonical = path.join(dir, `${name}.mp4`);
    await lock.update(file, (e) =>
      e
        ? {
            ...e,
            output: lock.relative(canonical),
            kept: recordId,
            tasks: e.tasks.map((t) => {
              const rec = ledger.get(t.id);
              return rec?.localFile ? { ...t, output: lock.relative(rec.localFile) } : t;
            }),
          }
        : e,
    );
    void this.deps.notifier.info(vscode.l10n.t('{0} is now the video of {1}; the other takes stay beside it under their task names.', path.basename(canonical), path.basename(file)));
    return canonical;
  }

  /**
   * "Continue from Last Frame": a new prompt file whose first frame is the frame the player saved, with
   * the rest of the settings from the video's own prompt file (or its sidecar), opened for editing.
   */
  async continueFromFrame(pngPath: string, sidecar: VideoSidecar | undefined): Promise<vscode.Uri> {
    const ledger = await this.deps.core.ledger();
    const record = sidecar ? ledger.get(sidecar.localId) : undefined;
    const source = record?.origin?.kind === 'promptFile' ? record.origin.file : undefined;
    let request: GenerationRequest | undefined;
    if (source) {
      try {
        request = parsePromptFile(await fs.readFile(source, 'utf8'), source).request;
      } catch {
        // The prompt file moved or went: the sidecar still says what made the video.
      }
    }
    request ??= sidecar ? fromSidecar(sidecar) : undefined;
    const base: GenerationRequest = request ?? { model: vscode.workspace.getConfiguration('sora').get<string>('defaultModel', 'veo3_fast'), prompt: '' };
    const next: GenerationRequest = { ...base, images: { first: pngPath } };
    const dir = source ? path.dirname(source) : path.dirname(pngPath);
    const stem = source ? promptFileBaseName(source) : path.basename(pngPath).replace(/(\.last)?\.png$/i, '');
    const target = await freePromptPath(dir, `${stem}-next`);
    await fs.writeFile(target, promptFileText(next, target), 'utf8');
    const uri = vscode.Uri.file(target);
    await vscode.window.showTextDocument(uri);
    return uri;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** The choices a sidecar recorded, in the model layer's words where it has them. */
function fromSidecar(s: VideoSidecar): GenerationRequest {
  const inputs = s.inputs as unknown as Record<string, unknown>;
  const req: GenerationRequest = { model: s.model, prompt: s.prompt };
  if (typeof inputs.aspect === 'string') req.aspect = inputs.aspect;
  if (typeof inputs.resolution === 'string') req.resolution = inputs.resolution;
  if (typeof inputs.audio === 'boolean') req.audio = inputs.audio;
  if (typeof inputs.seed === 'number') req.seed = inputs.seed;
  if (typeof inputs.negative === 'string') req.negative = inputs.negative;
  const duration = Number(inputs.duration);
  if (Number.isFinite(duration) && duration > 0) req.duration = duration;
  if (typeof inputs.options === 'object' && inputs.options !== null) req.options = { ...(inputs.options as GenerationRequest['options']) };
  return req;
}

async function freePromptPath(dir: string, stem: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = path.join(dir, `${n === 1 ? stem : `${stem}-${n}`}${PROMPT_FILE_SUFFIX}`);
    try {
      await fs.access(candidate);
    } catch {
      return candidate;
    }
  }
}


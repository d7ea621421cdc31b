import * as vscode from 'vscode';
import { diagnoseImages, diagnosePromptFile, type PromptDiagnostic, type PromptFix } from '../../core/prompts/promptDiagnostics';
import { isPromptFile, parsePromptFile, type SourceRange } from '../../core/prompts/promptFile';
import type { ModelLookup } from '../../core/prompts/promptDiagnostics';
import { diagnosticText } from './diagnosticText';

export const PROMPT_FILE_SELECTOR: vscode.DocumentSelector = { pattern: '**/*.video.md' };
const DEBOUNCE_MS = 250;

export function toRange(r: SourceRange): vscode.Range {
  return new vscode.Range(r.line, r.column, r.endLine, r.endColumn);
}

/**
 * Diagnostics for prompt files as the user types (debounced), from the same checks a batch makes
 * before sending, with quick fixes where the repair is known (a live model for a retired one, the key a
 * misspelt one means).
 */
export class PromptDiagnosticsProvider implements vscode.CodeActionProvider, vscode.Disposable {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };
  private readonly collection = vscode.languages.createDiagnosticCollection('sora-prompt');
  /** Fixes by document, matched to the diagnostics VS Code hands back (copies, not the objects made here). */
  private readonly fixes = new Map<string, { range: vscode.Range; code: string; fix: PromptFix }[]>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly versions = new Map<string, number>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly models: ModelLookup) {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, DEBOUNCE_MS)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.collection.delete(d.uri);
        this.fixes.delete(d.uri.toString());
      }),
      vscode.languages.registerCodeActionsProvider(PROMPT_FILE_SELECTOR, this, PromptDiagnosticsProvider.metadata),
    );
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (doc.uri.scheme !== 'file' || !isPromptFile(doc.uri.fsPath)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.update(doc);
      }, delay),
    );
  }

  /** Checks a document now (also what the debounced update runs). */
  async update(doc: vscode.TextDocument): Promise<vscode.Diagnostic[]> {
    const version = doc.version;
    this.versions.set(doc.uri.toString(), version);
    const parsed = parsePromptFile(doc.getText(), doc.uri.fsPath);
    const found: PromptDiagnostic[] = diagnosePromptFile(parsed, this.models);
    found.push(...(await diagnoseImages(parsed)));
    // A newer edit started its own check meanwhile: its result wins.
    if (this.versions.get(doc.uri.toString()) !== version || doc.isClosed) return [];
    const fixes: { range: vscode.Range; code: string; fix: PromptFix }[] = [];
    const diagnostics = found.map((d) => {
      const diag = new vscode.Diagnostic(toRange(d.range), diagnosticText(d, vscode.l10n.t), vscode.DiagnosticSeverity.Error);
      diag.source = 'Sora';
      diag.code = d.code;
      if (d.fix) fixes.push({ range: diag.range, code: d.code, fix: d.fix });
      return diag;
    });
    this.fixes.set(doc.uri.toString(), fixes);
    this.collection.set(doc.uri, diagnostics);
    return diagnostics;
  }

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    // Matched by place and code: the diagnostics VS Code hands back are copies of the ones made here.
    for (const f of this.fixes.get(doc.uri.toString()) ?? []) {
      if (!f.range.intersection(range)) continue;
      const action = new vscode.CodeAction(vscode.l10n.t('Use {0}', f.fix.text), vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(doc.uri, toRange(f.fix.range), f.fix.text);
      action.diagnostics = context.diagnostics.filter((d) => d.code === f.code && d.range.isEqual(f.range));
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}

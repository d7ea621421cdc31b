import * as path from 'path';
import * as vscode from 'vscode';
import { windowVideoTools } from './vscode/agents/agentTools';
import { registerLanguageModelTools } from './vscode/agents/languageModelTools';
import { registerMcpServer } from './vscode/agents/mcpRegistration';
import { registerCommands } from './vscode/commands';
import { CoreServices } from './vscode/coreServices';
import { requestFromRecord } from './vscode/generate/formDefaults';
import { GeneratePanel } from './vscode/generate/generatePanel';
import { createGenerate, modelInfo } from './vscode/generate/generationFlow';
import { HostConsent } from './vscode/keys/hostConsent';
import { setApiKey } from './vscode/keys/keyCommands';
import { KeyStore } from './vscode/keys/keyStore';
import { SoraLog } from './vscode/log';
import { Notifier } from './vscode/presentation/notify';
import { Panels } from './vscode/panels';
import { PromptCodeLens } from './vscode/promptFiles/promptCodeLens';
import { PromptDiagnosticsProvider } from './vscode/promptFiles/promptDiagnosticsProvider';
import { PromptFileCommands } from './vscode/promptFiles/promptFileCommands';
import { PromptRuns } from './vscode/promptFiles/promptRuns';
import { TaskProgress } from './vscode/tasks/progress';
import { Settings } from './vscode/settings/settings';
import type { SoraApi } from './vscode/soraApi';
import { TaskStatusBar } from './vscode/tasks/statusBar';
import { TaskActions } from './vscode/tasks/taskActions';
import { TaskTree } from './vscode/tasks/taskTree';
import { FormVariants } from './vscode/compare/formVariants';

export type { SoraApi } from './vscode/soraApi';

let shutdown: (() => Promise<void>) | undefined;

/**
 * Wiring only. Nothing here touches the network or the disk synchronously: the task history is read
 * after activation returns, and unfinished tasks found there are resumed.
 */
export function activate(context: vscode.ExtensionContext): SoraApi {
  const t = vscode.l10n.t;
  const log = new SoraLog();
  const notifier: Notifier = new Notifier({
    setApiKey: () => vscode.commands.executeCommand('sora.setApiKey'),
    showLog: () => log.show(),
    modelInfo: (id) => modelInfo(core.catalog(), id),
  });
  const settings = new Settings(context.globalStorageUri, (text) => void notifier.warn(text));
  const keys = new KeyStore(context.secrets);
  const hostConsent: HostConsent = new HostConsent(context.globalState, notifier);
  const ledgerPath = path.join(context.globalStorageUri.fsPath, 'tasks.json');
  const core: CoreServices = new CoreServices({
    ledgerPath,
    catalogPath: path.join(context.globalStorageUri.fsPath, 'models.json'),
    ownerId: `${vscode.env.sessionId}-${process.pid}`,
    userAgent: `sora-video-vscode/${String(context.extension.packageJSON.version)} (VSCode ${vscode.version}; Node ${process.versions.node}; ${process.platform})`,
    settings,
    keys,
    log,
    onLedgerCorrupt: (backup) => void notifier.warn(t('The Sora task history could not be read. It was set aside as {0} and a new history started.', backup)),
    confirmServiceUrls: (s) => hostConsent.confirm(s),
    onLedgerNewer: () =>
      void notifier.warn(t('The Sora task history was written by a newer version of this extension. It is shown but not changed here, and no task can be started: update the extension.')),
    onLedgerMalformed: (count) => void notifier.warn(t('{0} entries of the Sora task history could not be read. They are kept in the file unchanged; the other tasks carry on.', count)),
    onLedgerReadError: (err) => {
      log.error('Could not read the task history.', err);
      void notifier.warn(t('The Sora task history cannot be read right now (another program may hold the file). Nothing was lost; it is read again on the next action.'));
    },
  });
  shutdown = () => core.shutdown();
  const tree = new TaskTree(core);

  // Progress, generate, panels and actions refer to each other; the closures run only after all exist.
  const progress: TaskProgress = new TaskProgress(core, notifier, context.globalState, {
    openVideo: (id) => actions.openVideo(id),
    revealVideo: (id) => actions.revealVideo(id),
    showTasks: (id) => actions.showTasks(id),
    editForm: (task, model) => panels.generateAgain(task, model),
    // "Generate Again" on a failure resubmits as it was; the form is for changing something first.
    generateAgain: (task) => generate({ request: requestFromRecord(task) }).catch(() => undefined),
    resume: (id) => actions.resume(id),
  });
  const generate = createGenerate({
    core,
    catalog: () => core.catalog(),
    keys,
    settings,
    notifier,
    progress,
    openForm: (request, dropped) => panels.openRequest(request, dropped),
  });
  const panels = new Panels({
    extensionUri: context.extensionUri,
    thumbnailSaved: (video) => tree.thumbnailSaved(video),
    log,
    memento: context.globalState,
    settings,
    keys,
    core,
    notifier,
    catalog: () => core.catalog(),
    setApiKey: async () => void (await setApiKey(keys, notifier)),
    generate,
  });
  const actions: TaskActions = new TaskActions(core, notifier, panels, tree, settings, progress);
  const promptRuns = new PromptRuns(core, settings, log);
  const promptCommands = new PromptFileCommands({ core, keys, notifier, progress, runs: promptRuns, openCompare: (request) => panels.openCompare(request) });
  const formVariants = new FormVariants({ ledger: () => core.ledger(), openCompare: (request) => panels.openCompare(request), openVideo: (id) => actions.openVideo(id), logError: (message, err) => log.error(message, err) });

  context.subscriptions.push(
    log,
    keys,
    core,
    tree,
    progress,
    core.onDidStartService((service) => {
      const sub = service.onEvent((e) => {
        log.taskEvent(e);
        formVariants.onTaskEvent(e);
      });
      context.subscriptions.push({ dispose: () => sub.dispose() });
    }),
    new TaskStatusBar(core),
    panels.registerVideoEditor(),
    ...registerCommands({ keys, notifier, core, panels, actions, settings, prompts: promptCommands, testMode: context.extensionMode === vscode.ExtensionMode.Test }),
    ...registerLanguageModelTools(windowVideoTools(core, keys, settings)),
    ...registerMcpServer({
      extensionPath: context.extensionPath,
      ledgerPath,
      settings,
      keys,
      version: String(context.extension.packageJSON.version),
      confirmServiceUrls: (s) => hostConsent.confirm(s),
      onMissingKey: () => void notifier.warn(t('The Sora Video MCP server needs a Kie API key. Run "Sora: Set API Key" first.')),
    }),
    promptRuns,
    promptCommands,
    new PromptDiagnosticsProvider(promptRuns.models),
    new PromptCodeLens(promptRuns),
    // Another window may have changed the shared history while this one was in the background.
    vscode.window.onDidChangeWindowState((s) => {
      if (s.focused) void core.openedLedger?.reload().catch((err: unknown) => log.error('Could not re-read the task history.', err));
    }),
  );

  // A restored player looks its task up synchronously, so its serializer waits for the history to be
  // read; VS Code keeps a restored panel pending until a serializer for its type is registered.
  void core
    .ledger()
    .catch((err: unknown) => log.error('Could not read the task history.', err))
    .finally(() => context.subscriptions.push(panels.registerSerializer()));

  setImmediate(() => {
    void (async () => {
      const unfinished = await core.resumeUnfinished();
      if (unfinished > 0 && !(await keys.hasKieKey())) {
        const set = t('Set API Key');
        const choice = await notifier.warn(t('{0} Sora video task(s) are waiting for a Kie API key to continue.', unfinished), set);
        if (choice === set) await vscode.commands.executeCommand('sora.setApiKey');
      }
    })().catch((err: unknown) => {
      log.error('Could not resume unfinished tasks.', err);
      void notifier.showError(err);
    });
  });

  return {
    tasks: () => core.openedLedger?.all() ?? [],
    hasApiKey: () => keys.hasKieKey(),
    recentMessages: () => notifier.recent(),
    generate: async (input) => (await generate(input))[0],
    formRequest: () => GeneratePanel.active?.resolvedRequest(),
  };
}

/** The history keeps every task for the next start; what remains is handing this window's tasks back. */
export function deactivate(): Promise<void> | undefined {
  return shutdown?.();
}

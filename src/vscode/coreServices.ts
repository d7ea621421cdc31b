import { promises as fs } from 'fs';
import * as vscode from 'vscode';
import type { KieClient } from '../core/kie/kieClient';
import type { ModelCatalog } from '../core/models/modelCatalog';
import { TaskLedger } from '../core/tasks/ledger';
import { ACTIVE_STATES } from '../core/tasks/task';
import type { TaskService } from '../core/tasks/taskService';
import type { KeyStore } from './keys/keyStore';
import type { SoraLog } from './log';
import { Settings, type ClientSettings } from './settings/settings';

export interface CoreServicesDeps {
  ledgerPath: string;
  /** Where Kie's live model catalog and schemas are cached between sessions. */
  catalogPath: string;
  ownerId: string;
  userAgent: string;
  settings: Settings;
  keys: KeyStore;
  log: SoraLog;
  onLedgerCorrupt(backupPath: string): void;
  /** Resolves when the user allows the key to go to these service URLs; throws otherwise (HostConsent). */
  confirmServiceUrls(s: ClientSettings): Promise<void>;
  /** The history belongs to a newer version of the extension: this one only reads it. */
  onLedgerNewer(version: number): void;
  onLedgerMalformed(count: number): void;
  onLedgerReadError(error: Error): void;
}

/**
 * The core objects, built on first use so activation stays cheap: the ledger when something needs the
 * history, the task service when a task is submitted or unfinished tasks are found, the HTTP client when
 * a key exists. The client and task service are imported dynamically, so the HTTP stack is not even
 * loaded before a request is needed. Key and setting changes rebuild the client; tasks in flight pick
 * up the new one on their next request.
 */
export class CoreServices implements vscode.Disposable {
  private ledgerPromise: Promise<TaskLedger> | undefined;
  private loadedLedger: TaskLedger | undefined;
  private servicePromise: Promise<TaskService> | undefined;
  private currentService: TaskService | undefined;
  private currentClient: KieClient | undefined;
  private clientPromise: Promise<KieClient | undefined> | undefined;
  private catalogPromise: Promise<ModelCatalog> | undefined;
  private readonly ledgerOpened = new vscode.EventEmitter<TaskLedger>();
  private readonly serviceStarted = new vscode.EventEmitter<TaskService>();
  readonly onDidOpenLedger = this.ledgerOpened.event;
  readonly onDidStartService = this.serviceStarted.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: CoreServicesDeps) {
    this.disposables.push(
      this.ledgerOpened,
      this.serviceStarted,
      deps.keys.onDidChange(() => this.invalidateClient()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (Settings.affectsClient(e)) this.invalidateClient();
      }),
    );
  }

  ledger(): Promise<TaskLedger> {
    this.ledgerPromise ??= TaskLedger.open(this.deps.ledgerPath, {
      onCorrupt: (backup) => this.deps.onLedgerCorrupt(backup),
      onNewerVersion: (version) => this.deps.onLedgerNewer(version),
      onMalformedEntries: (count) => this.deps.onLedgerMalformed(count),
      onReadError: (error) => this.deps.onLedgerReadError(error),
    }).then(
      (ledger) => {
        this.loadedLedger = ledger;
        this.ledgerOpened.fire(ledger);
        return ledger;
      },
      (err: unknown) => {
        this.ledgerPromise = undefined;
        throw err;
      },
    );
    return this.ledgerPromise;
  }

  /** The ledger if it is already open; never opens it. */
  get openedLedger(): TaskLedger | undefined {
    return this.loadedLedger;
  }

  taskService(): Promise<TaskService> {
    this.servicePromise ??= (async () => {
      const [ledger, catalog] = await Promise.all([this.ledger(), this.catalog(), this.client()]);
      const { TaskService } = await import('../core/tasks/taskService');
      const service = new TaskService({
        ledger,
        client: () => this.currentClient,
        ownerId: this.deps.ownerId,
        resolveSpec: (id) => catalog.spec(id),
        prepare: (spec, req) => catalog.prepare(spec, req),
      });
      this.currentService = service;
      this.serviceStarted.fire(service);
      return service;
    })();
    return this.servicePromise;
  }

  /**
   * The model catalog, read from its cache (no network): the bundled models plus what Kie listed last
   * time. Callers that show models call `refresh()` on it, which fetches in the background.
   */
  catalog(): Promise<ModelCatalog> {
    this.catalogPromise ??= (async () => {
      const { ModelCatalog } = await import('../core/models/modelCatalog');
      const catalog = new ModelCatalog({
        discovery: () => this.client(),
        cacheFile: this.deps.catalogPath,
        log: (line) => this.deps.log.info(line),
      });
      await catalog.load();
      return catalog;
    })();
    return this.catalogPromise;
  }

  /** The Kie client for the current key and settings, or undefined when no key is available. */
  client(): Promise<KieClient | undefined> {
    this.clientPromise ??= (async () => {
      const [apiKey, imgbbKey] = await Promise.all([this.deps.keys.kieKey(), this.deps.keys.imgbbKey()]);
      if (!apiKey) return undefined;
      const s = this.deps.settings.client();
      await this.deps.confirmServiceUrls(s);
      const { KieClient } = await import('../core/kie/kieClient');
      this.currentClient = new KieClient({
        apiBaseUrl: s.apiBaseUrl,
        uploadBaseUrl: s.uploadBaseUrl,
        imgbbBaseUrl: s.imgbbBaseUrl,
        imageHost: s.imageHost,
        proxy: s.proxy,
        apiKey,
        imgbbKey,
        userAgent: this.deps.userAgent,
        logger: this.deps.log.request,
        maxDownloadBytes: s.maxDownloadBytes,
      });
      return this.currentClient;
    })();
    // A declined host (or any failure) must ask again next time, not stay failed.
    const pending = this.clientPromise;
    pending.catch(() => {
      if (this.clientPromise === pending) this.clientPromise = undefined;
    });
    return this.clientPromise;
  }

  /**
   * Opens the ledger and resumes its unfinished tasks, if a ledger exists. Runs after activation so a
   * reload picks up what was running without the user doing anything and without slowing startup.
   * Returns how many tasks were unfinished (crashed submissions included: resuming settles them).
   */
  async resumeUnfinished(): Promise<number> {
    try {
      await fs.access(this.deps.ledgerPath);
    } catch {
      return 0;
    }
    const ledger = await this.ledger();
    // A newer version's history is only shown; that version carries on with its tasks.
    if (ledger.readOnlyVersion !== undefined) return 0;
    const unfinished = ledger.all().filter((t) => ACTIVE_STATES.has(t.state) || t.state === 'submitting').length;
    if (unfinished === 0) return 0;
    const service = await this.taskService();
    service.resumeAll();
    return unfinished;
  }

  private invalidateClient(): void {
    const old = this.currentClient;
    this.currentClient = undefined;
    this.clientPromise = undefined;
    void old?.close().catch(() => undefined);
    // Running tasks ask for the client on every poll; build the new one now so they do not wait for a key.
    if (this.currentService) {
      void this.client().catch((err: unknown) => this.deps.log.error('Could not rebuild the Kie client.', err));
    }
  }

  /**
   * Stops polling and waits until this window's tasks are handed back in the ledger, so the next window
   * (a reload) takes them over at once instead of waiting for the ownership to go stale.
   */
  async shutdown(): Promise<void> {
    const service = this.currentService;
    this.dispose();
    await service?.idle();
  }

  dispose(): void {
    this.currentService?.dispose();
    void this.currentClient?.close().catch(() => undefined);
    for (const d of this.disposables) d.dispose();
  }
}

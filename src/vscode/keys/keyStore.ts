import * as vscode from 'vscode';

const KIE_SECRET = 'sora.kieApiKey';
const IMGBB_SECRET = 'sora.imgbbApiKey';

export type KeySource = 'secretStorage' | 'environment';

/**
 * API keys live in SecretStorage. `KIE_API_KEY` / `IMGBB_API_KEY` are read-only fallbacks for CI and
 * shells that already export them: they are never copied into storage, so unsetting them removes them.
 */
export class KeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange: vscode.Event<void> = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key === KIE_SECRET || e.key === IMGBB_SECRET) this.changed.fire();
    });
  }

  async kieKey(): Promise<string | undefined> {
    return (await this.stored(KIE_SECRET)) ?? this.fromEnv('KIE_API_KEY');
  }

  async imgbbKey(): Promise<string | undefined> {
    return (await this.stored(IMGBB_SECRET)) ?? this.fromEnv('IMGBB_API_KEY');
  }

  async hasKieKey(): Promise<boolean> {
    return (await this.kieKey()) !== undefined;
  }

  /** Where the Kie key currently comes from, or undefined when there is none. */
  async kieKeySource(): Promise<KeySource | undefined> {
    if (await this.stored(KIE_SECRET)) return 'secretStorage';
    return this.fromEnv('KIE_API_KEY') ? 'environment' : undefined;
  }

  envProvidesKieKey(): boolean {
    return this.fromEnv('KIE_API_KEY') !== undefined;
  }

  async setKieKey(key: string): Promise<void> {
    const trimmed = key.trim();
    if (!trimmed) throw new Error('The API key is empty.');
    await this.secrets.store(KIE_SECRET, trimmed);
    // SecretStorage reports the change asynchronously; whoever awaits this call must see the new key.
    this.changed.fire();
  }

  async setImgbbKey(key: string): Promise<void> {
    const trimmed = key.trim();
    if (!trimmed) throw new Error('The API key is empty.');
    await this.secrets.store(IMGBB_SECRET, trimmed);
    this.changed.fire();
  }

  async clearKieKey(): Promise<void> {
    await this.secrets.delete(KIE_SECRET);
    this.changed.fire();
  }

  private async stored(name: string): Promise<string | undefined> {
    return (await this.secrets.get(name))?.trim() || undefined;
  }

  private fromEnv(name: string): string | undefined {
    return this.env[name]?.trim() || undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

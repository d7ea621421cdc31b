import * as path from 'path';
import * as vscode from 'vscode';
import type { KeyStore } from '../keys/keyStore';
import type { Settings } from '../settings/settings';

/**
 * Offers the bundled MCP server (dist/mcp.js) to the editor's own MCP client: VS Code 1.101+ through
 * `lm.registerMcpServerDefinitionProvider`, Cursor through `vscode.cursor.mcp.registerServer`. Neither API
 * is in VS Code 1.99's typings, so both are feature-detected. The key is read from SecretStorage when the
 * server starts and handed over in its environment, never written to a file.
 */

interface McpStdioDefinition {
  label: string;
  command: string;
  args: string[];
  env: Record<string, string | number | null>;
  cwd?: vscode.Uri;
}

interface McpApi {
  registerMcpServerDefinitionProvider(
    id: string,
    provider: {
      provideMcpServerDefinitions(): McpStdioDefinition[];
      resolveMcpServerDefinition(server: McpStdioDefinition): Promise<McpStdioDefinition | undefined>;
      onDidChangeMcpServerDefinitions?: vscode.Event<void>;
    },
  ): vscode.Disposable;
}

type McpStdioCtor = new (label: string, command: string, args?: string[], env?: Record<string, string | number | null>, version?: string) => McpStdioDefinition;

interface CursorMcp {
  registerServer(config: { name: string; server: { command: string; args: string[]; env: Record<string, string> } }): void;
  unregisterServer(name: string): void;
}

export const MCP_PROVIDER_ID = 'sora-video.mcp';
const CURSOR_NAME = 'sora-video';

export interface McpRegistrationDeps {
  extensionPath: string;
  ledgerPath: string;
  settings: Settings;
  keys: KeyStore;
  version: string;
  onMissingKey(): void;
  /** Asks once before the key goes to a host other than Kie's own (the same consent as the client's). */
  confirmServiceUrls(s: ReturnType<Settings['client']>): Promise<void>;
}

/** Everything the server needs but the key: where Kie is, where videos go, the shared task history. */
function serverEnv(deps: McpRegistrationDeps): Record<string, string> {
  const s = deps.settings.client();
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return {
    // In desktop VS Code and Cursor the extension host's binary is Electron; this makes it plain Node.
    ELECTRON_RUN_AS_NODE: '1',
    SORA_API_BASE_URL: s.apiBaseUrl,
    SORA_UPLOAD_BASE_URL: s.uploadBaseUrl,
    SORA_OUTPUT_DIR: deps.settings.outputDir(),
    SORA_LEDGER: deps.ledgerPath,
    ...(folder ? { SORA_WORKSPACE: folder } : {}),
  };
}

export function registerMcpServer(deps: McpRegistrationDeps): vscode.Disposable[] {
  const script = path.join(deps.extensionPath, 'dist', 'mcp.js');
  const lm = vscode.lm as unknown as Partial<McpApi> | undefined;
  const Definition = (vscode as unknown as { McpStdioServerDefinition?: McpStdioCtor }).McpStdioServerDefinition;
  const disposables: vscode.Disposable[] = [];
  if (typeof lm?.registerMcpServerDefinitionProvider === 'function' && Definition) {
    const changed = new vscode.EventEmitter<void>();
    disposables.push(
      changed,
      deps.keys.onDidChange(() => changed.fire()),
      lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
        onDidChangeMcpServerDefinitions: changed.event,
        provideMcpServerDefinitions: () => [new Definition('Sora Video', process.execPath, [script], serverEnv(deps), deps.version)],
        resolveMcpServerDefinition: async (server) => {
          const key = await deps.keys.kieKey();
          if (!key) {
            deps.onMissingKey();
            return undefined;
          }
          await deps.confirmServiceUrls(deps.settings.client());
          server.env = { ...server.env, ...serverEnv(deps), KIE_API_KEY: key };
          return server;
        },
      }),
    );
  }
  const cursor = (vscode as unknown as { cursor?: { mcp?: Partial<CursorMcp> } }).cursor?.mcp;
  if (typeof cursor?.registerServer === 'function' && typeof cursor.unregisterServer === 'function') {
    const register = async () => {
      const key = await deps.keys.kieKey();
      cursor.unregisterServer?.(CURSOR_NAME);
      if (key) await deps.confirmServiceUrls(deps.settings.client());
      if (key) cursor.registerServer?.({ name: CURSOR_NAME, server: { command: process.execPath, args: [script], env: { ...serverEnv(deps), KIE_API_KEY: key } } });
    };
    void register().catch(() => undefined);
    disposables.push(deps.keys.onDidChange(() => void register()), { dispose: () => cursor.unregisterServer?.(CURSOR_NAME) });
  }
  return disposables;
}

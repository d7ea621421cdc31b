import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { VideoTools } from '../core/agents/videoTools';
import { KieClient } from '../core/kie/kieClient';
import { ModelCatalog } from '../core/models/modelCatalog';
import { TaskLedger } from '../core/tasks/ledger';
import { TaskService } from '../core/tasks/taskService';
import { checkServiceUrl } from '../vscode/settings/serviceUrl';
import { QuoteBook } from './quoteBook';
import { createMcpServer } from './server';

/**
 * `node dist/mcp.js`: the Sora Video MCP server over stdio. Environment: KIE_API_KEY (required),
 * SORA_API_BASE_URL and SORA_UPLOAD_BASE_URL (https, or http on loopback only: the simulator),
 * SORA_OUTPUT_DIR (default ./videos), SORA_WORKSPACE (where relative paths start; default the working
 * directory), SORA_LEDGER (the task history shared with VS Code windows; the
 * extension passes its own when it starts the server). stdout is the protocol: logs go to stderr.
 */

function serviceUrl(name: string, fallback: string): string {
  const value = process.env[name]?.trim() || fallback;
  const check = checkServiceUrl(value);
  if (!check.ok) throw new Error(`${name} must be an https URL (plain http only on this machine): got ${check.reason === 'insecure' ? 'plain http to a remote host' : 'an invalid URL'}.`);
  return check.url;
}

function dataDir(): string {
  const base = process.env.XDG_DATA_HOME || (process.platform === 'win32' ? process.env.APPDATA : undefined) || path.join(homedir(), '.local', 'share');
  return path.join(base ?? homedir(), 'sora-video');
}

export async function main(): Promise<void> {
  const apiKey = process.env.KIE_API_KEY?.trim() ?? '';
  const log = (line: string) => process.stderr.write(`[sora-mcp] ${apiKey ? line.split(apiKey).join('<key>') : line}\n`);
  if (!apiKey) {
    log('KIE_API_KEY is not set: every tool will answer that a key is needed.');
  }
  const apiBaseUrl = serviceUrl('SORA_API_BASE_URL', 'https://api.kie.ai');
  const uploadBaseUrl = serviceUrl('SORA_UPLOAD_BASE_URL', 'https://kieai.redpandaai.co');
  // The editor that starts the server names the workspace; a client started from a shell runs in it.
  const cwd = path.resolve(process.env.SORA_WORKSPACE?.trim() || process.cwd());
  const outputDir = path.resolve(cwd, process.env.SORA_OUTPUT_DIR?.trim() || 'videos');
  const ledgerPath = process.env.SORA_LEDGER?.trim() || path.join(dataDir(), 'tasks.json');

  const client = apiKey
    ? new KieClient({
        apiBaseUrl,
        uploadBaseUrl,
        imgbbBaseUrl: 'https://api.imgbb.com',
        apiKey,
        logger: (e) => log(`${e.method} ${e.path} ${e.status ?? ''}${e.code !== undefined ? ` code ${e.code}` : ''}${e.taskId ? ` task ${e.taskId}` : ''}${e.error ? ` ${e.error}` : ''}`),
      })
    : undefined;
  const needKey = async () => {
    if (!client) throw new Error('No Kie API key: start the server with KIE_API_KEY in its environment.');
    return client;
  };
  const ledger = await TaskLedger.open(ledgerPath, { onCorrupt: (backup) => log(`task history unreadable, set aside as ${backup}`) });
  const catalog = new ModelCatalog({ discovery: async () => client, cacheFile: path.join(path.dirname(ledgerPath), 'models.json'), log });
  await catalog.load();
  const service = new TaskService({
    ledger,
    client: () => client,
    ownerId: `mcp-${process.pid}-${randomBytes(3).toString('hex')}`,
    resolveSpec: (id) => catalog.spec(id),
    prepare: (spec, req) => catalog.prepare(spec, req),
  });
  service.onEvent((e) => {
    if (e.type === 'completed') log(`task ${e.task.taskId} saved to ${e.task.localFile}`);
    if (e.type === 'failed') log(`task ${e.task.taskId ?? e.task.id} failed: ${e.task.error?.message ?? ''}`);
  });
  service.resumeAll();

  const tools = new VideoTools({
    catalog: async () => catalog,
    service: async () => {
      await needKey();
      return service;
    },
    ledger: async () => ledger,
    credits: async () => (client ? client.getCredits() : undefined),
    outputDir: () => outputDir,
    resolveImage: (p) => {
      const abs = path.resolve(cwd, p);
      const rel = path.relative(cwd, abs);
      if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`images must be under the working directory ${cwd}`);
      return abs;
    },
    origin: 'mcp',
  });
  const server = createMcpServer(tools, new QuoteBook());
  await server.connect(new StdioServerTransport());
  log(`ready: ${apiBaseUrl}, videos to ${outputDir}, task history ${ledgerPath}`);

  const stop = async () => {
    // Hands this process's tasks back in the ledger so a VS Code window takes them over at once.
    service.dispose();
    await service.idle().catch(() => undefined);
    await client?.close().catch(() => undefined);
    process.exit(0);
  };
  process.stdin.on('end', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`[sora-mcp] ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}

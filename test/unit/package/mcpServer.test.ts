import * as assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { KieClient } from '../../../src/core/kie/kieClient';
import { TaskLedger } from '../../../src/core/tasks/ledger';
import { fixedPolicy } from '../../../src/core/tasks/scheduler';
import { TaskService, type TaskEvent } from '../../../src/core/tasks/taskService';
import { startSimulator, type Simulator } from '../../../src/simulator/server';

const ROOT = path.join(__dirname, '..', '..', '..', '..');
const MCP = path.join(ROOT, 'dist', 'mcp.js');
const KEY = 'sim-mcp-key-3f9a2c71b0d4';
const CREATES = ['/api/v1/veo/generate', '/api/v1/jobs/createTask'];

type ToolAnswer = { content: { type: string; text: string }[]; isError?: boolean };

function parsed(answer: unknown): Record<string, unknown> {
  const a = answer as ToolAnswer;
  return JSON.parse(a.content[0].text) as Record<string, unknown>;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, limitMs = 60_000): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await sleep(100);
  }
}

describe('MCP server over stdio (the SDK client against dist/mcp.js and the simulator)', function () {
  this.timeout(120_000);
  let sim: Simulator;
  let dir: string;
  let client: Client;
  let stderr: string;

  before(function () {
    if (!existsSync(MCP)) throw new Error(`${MCP} is missing: run \`node esbuild.js\` first (npm test does)`);
  });

  beforeEach(async () => {
    sim = await startSimulator({ apiKey: KEY, defaultDurationMs: 1500 });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sora-mcp-'));
    stderr = '';
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [MCP],
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', KIE_API_KEY: KEY, SORA_API_BASE_URL: sim.url, SORA_UPLOAD_BASE_URL: sim.uploadUrl, SORA_OUTPUT_DIR: 'clips', SORA_LEDGER: path.join(dir, 'state', 'tasks.json') },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
    client = new Client({ name: 'sora-test', version: '1.0.0' });
    await client.connect(transport);
  });

  afterEach(async () => {
    await client.close();
    await sim.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('lists its five tools with input schemas', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['generate_video', 'get_video_task', 'list_video_models', 'list_video_tasks', 'quote_video']);
    const generate = tools.find((t) => t.name === 'generate_video')!;
    assert.ok((generate.inputSchema.required ?? []).includes('quote_id'));
    assert.match(generate.description ?? '', /quote/i);
  });

  it('lists current models with their inputs and price, and no retired Sora', async () => {
    const models = JSON.parse((await client.callTool({ name: 'list_video_models', arguments: {} }) as ToolAnswer).content[0].text) as { id: string; price: { creditsForDefaults?: number } }[];
    assert.ok(models.some((m) => m.id === 'veo3_fast' && (m.price.creditsForDefaults ?? 0) > 0));
    assert.ok(!models.some((m) => m.id.startsWith('sora-')));
  });

  it('spends nothing without a valid quote, then makes exactly one task for a quoted request and saves the file', async () => {
    const args = { prompt: 'A lighthouse beam sweeping over a stormy sea', model: 'veo3_fast', resolution: '720p', duration: 4 };
    const refused = (await client.callTool({ name: 'generate_video', arguments: args })) as ToolAnswer;
    assert.equal(refused.isError, true);
    assert.match(refused.content[0].text, /quote/i);
    const forged = (await client.callTool({ name: 'generate_video', arguments: { ...args, quote_id: 'q_made_up' } })) as ToolAnswer;
    assert.equal(forged.isError, true);
    let creates = 0;
    for (const p of CREATES) creates += sim.count(p);
    assert.equal(creates, 0, 'no createTask without a quote');

    const quote = parsed(await client.callTool({ name: 'quote_video', arguments: args }));
    assert.equal(quote.ok, true, JSON.stringify(quote));
    assert.equal(quote.credits, 60);
    assert.equal(typeof quote.balance, 'number');
    const other = (await client.callTool({ name: 'generate_video', arguments: { ...args, resolution: '4k', quote_id: quote.quoteId } })) as ToolAnswer;
    assert.equal(other.isError, true, 'a quote pays only for the request it priced');

    const task = parsed(await client.callTool({ name: 'generate_video', arguments: { ...args, quote_id: quote.quoteId } }));
    assert.ok(task.kieTaskId, JSON.stringify(task));
    const again = (await client.callTool({ name: 'generate_video', arguments: { ...args, quote_id: quote.quoteId } })) as ToolAnswer;
    assert.equal(again.isError, true, 'a quote is used once');

    const done = await until('the video', async () => {
      const t = parsed(await client.callTool({ name: 'get_video_task', arguments: { id: String(task.id) } }));
      return t.state === 'completed' ? t : undefined;
    });
    assert.ok(typeof done.file === 'string' && done.file.startsWith(path.join(dir, 'clips')));
    assert.ok((await fs.stat(String(done.file))).size > 1000);
    creates = 0;
    for (const p of CREATES) creates += sim.count(p);
    assert.equal(creates, 1);
    const listed = JSON.parse(((await client.callTool({ name: 'list_video_tasks', arguments: {} })) as ToolAnswer).content[0].text) as { id: string }[];
    assert.equal(listed[0].id, task.id);
    const everything = JSON.stringify([quote, task, done, listed]) + stderr;
    assert.ok(!everything.includes(KEY), 'the key appears in no tool result and no log line');
  });

  it('explains an invalid request instead of sending it', async () => {
    const quote = parsed(await client.callTool({ name: 'quote_video', arguments: { prompt: 'x', model: 'veo3_fast', duration: 5 } }));
    assert.equal(quote.ok, false);
    assert.ok((quote.problems as string[]).some((p) => /duration/.test(p)));
    const sora = parsed(await client.callTool({ name: 'quote_video', arguments: { prompt: 'x', model: 'sora-2-text-to-video' } }));
    assert.equal(sora.ok, false);
    assert.ok((sora.problems as string[]).some((p) => /no longer serves/.test(p) && /veo3_fast/.test(p)));
  });

  it('shares the ledger with a window: the task is downloaded once, whoever finishes it', async () => {
    const ledgerPath = path.join(dir, 'state', 'tasks.json');
    const args = { prompt: 'Two owners, one video', model: 'veo3_fast', resolution: '720p', duration: 4 };
    const quote = parsed(await client.callTool({ name: 'quote_video', arguments: args }));
    const task = parsed(await client.callTool({ name: 'generate_video', arguments: { ...args, quote_id: quote.quoteId } }));
    const ledger = await TaskLedger.open(ledgerPath);
    const kie = new KieClient({ apiBaseUrl: sim.url, uploadBaseUrl: sim.url, imgbbBaseUrl: sim.url, apiKey: KEY });
    const window = new TaskService({ ledger, client: () => kie, ownerId: 'window-1', policy: fixedPolicy(200), heartbeatMs: 200, staleOwnerMs: 60_000 });
    const events: TaskEvent[] = [];
    window.onEvent((e) => events.push(e));
    window.resumeAll();
    try {
      await until('the window to see the MCP task completed', async () => {
        await ledger.reload();
        return ledger.get(String(task.id))?.state === 'completed' ? true : undefined;
      });
      const downloads = sim.requests.filter((r) => /\.mp4/.test(r.path) && r.method === 'GET').length;
      assert.equal(downloads, 1, 'one download between the two owners');
      assert.equal(events.filter((e) => e.type === 'completed').length, 0, 'the window did not complete (or announce) a task the MCP server owns');
    } finally {
      window.dispose();
      await kie.close();
    }
  });
});

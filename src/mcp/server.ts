import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { isVideoToolError, type VideoArgs, type VideoTools } from '../core/agents/videoTools';
import type { QuoteBook } from './quoteBook';

const VERSION = '0.2.0';

const request = {
  prompt: z.string().describe('What the video shows: subject, action, camera, light, sound.'),
  model: z.string().optional().describe('A model id from list_video_models (default veo3_fast).'),
  aspect: z.string().optional().describe('Aspect ratio the model offers, e.g. "16:9" or "9:16".'),
  duration: z.number().optional().describe('Seconds, among the values or within the range the model offers.'),
  resolution: z.string().optional().describe('A resolution the model offers, e.g. "720p", "1080p", "4k".'),
  audio: z.boolean().optional().describe('Generate sound, for models that offer it.'),
  seed: z.number().int().optional(),
  negative: z.string().optional().describe('What to avoid, for models that take a negative prompt.'),
  image: z.string().optional().describe('First frame: path of a PNG, JPEG or WebP under the output folder (or absolute).'),
  last_frame: z.string().optional().describe('Last frame image path, for models that take one.'),
  references: z.array(z.string()).optional().describe('Reference image paths, for models that take them.'),
  options: z.record(z.union([z.string(), z.number(), z.boolean()])).optional().describe("A model's own fields by their schema names (see list_video_models)."),
};

type Content = { content: { type: 'text'; text: string }[]; isError?: boolean };

const ok = (value: unknown): Content => ({ content: [{ type: 'text', text: JSON.stringify(value, null, 2) }] });

function fail(e: unknown): Content {
  const problems = isVideoToolError(e) && 'problems' in e ? (e as { problems: string[] }).problems : [];
  const message = e instanceof Error ? e.message : String(e);
  return { content: [{ type: 'text', text: JSON.stringify({ error: message, ...(problems.length ? { problems } : {}) }, null, 2) }], isError: true };
}

async function run(work: () => Promise<unknown>): Promise<Content> {
  try {
    return ok(await work());
  } catch (e) {
    return fail(e);
  }
}

/** The MCP face of VideoTools: nothing is spent without a price the client saw first (a quote id). */
/** registerTool without the SDK's deep zod inference (it exceeds the compiler's instantiation depth here). */
type Register = <A>(
  name: string,
  config: { title: string; description: string; inputSchema?: Record<string, z.ZodTypeAny>; annotations?: Record<string, boolean> },
  handler: (args: A) => Promise<Content>,
) => void;

export function createMcpServer(tools: VideoTools, quotes: QuoteBook): McpServer {
  const server = new McpServer({ name: 'sora-video', version: VERSION });
  const registerTool = server.registerTool.bind(server) as unknown as Register;
  registerTool(
    'list_video_models',
    {
      title: 'List video models',
      description: "Kie.ai's current video models with what each takes (options with their values, image inputs) and its price. Call this before choosing a model; do not rely on model names you remember.",
      annotations: { readOnlyHint: true },
    },
    () => run(() => tools.listModels()),
  );
  registerTool(
    'quote_video',
    {
      title: 'Price a video',
      description: 'Validates a video request and prices it without spending anything: the model, every option that will be sent, the credits it costs, the balance, and a quote_id valid for 10 minutes. Show the price to the user before calling generate_video.',
      inputSchema: request,
      annotations: { readOnlyHint: true },
    },
    (args: VideoArgs) =>
      run(async () => {
        const quote = await tools.quote(args);
        return { ...quote, ...(quote.ok ? quotes.issue(args, quote) : {}) };
      }),
  );
  registerTool(
    'generate_video',
    {
      title: 'Generate a video',
      description: 'Spends Kie credits: starts a video for exactly the request a quote_video answer priced (pass its quote_id). Returns at once with the task id and where the video will be saved; the video arrives later. Poll get_video_task; do not wait in a loop faster than every 15 seconds.',
      inputSchema: { ...request, quote_id: z.string().describe('The quote_id from quote_video for exactly this request.') },
      annotations: { destructiveHint: false, idempotentHint: false },
    },
    ({ quote_id, ...args }: VideoArgs & { quote_id?: string }) =>
      run(async () => {
        const refused = quotes.redeem(quote_id, args);
        if (refused) throw new Error(refused);
        return tools.generate(args);
      }),
  );
  registerTool(
    'get_video_task',
    {
      title: 'Read a video task',
      description: 'State of a task from generate_video (by its id or Kie task id): state, elapsed seconds, the saved file once completed, Kie’s message and the next step when it failed.',
      inputSchema: { id: z.string() },
      annotations: { readOnlyHint: true },
    },
    ({ id }: { id: string }) => run(() => tools.getTask(id)),
  );
  registerTool(
    'list_video_tasks',
    {
      title: 'List video tasks',
      description: 'The most recent video tasks in the shared task history, newest first.',
      inputSchema: { limit: z.number().int().min(1).max(100).optional() },
      annotations: { readOnlyHint: true },
    },
    ({ limit }: { limit?: number }) => run(() => tools.listTasks(limit)),
  );
  return server;
}

import * as vscode from 'vscode';
import type { Quote, VideoArgs, VideoTools } from '../../core/agents/videoTools';
import { fieldName } from '../generate/formIssueText';
import { optionValueText } from '../presentation/optionText';

/**
 * generate_video, get_video_task and list_video_models for the editor's agents (Copilot's agent mode and
 * any chat participant). Registered only where `vscode.lm.registerTool` exists: Cursor and older VS Code
 * run the extension without them. generate_video asks the user first, naming the model, the options, the
 * price and the balance, and returns at once: the task runs in the ledger like any other.
 */
export function registerLanguageModelTools(tools: VideoTools): vscode.Disposable[] {
  const lm = vscode.lm as Partial<typeof vscode.lm> | undefined;
  if (typeof lm?.registerTool !== 'function') return [];
  const t = vscode.l10n.t;
  const text = (value: unknown) => new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(JSON.stringify(value, null, 2))]);
  return [
    lm.registerTool<VideoArgs>('generate_video', {
      async prepareInvocation(options) {
        const quote = await tools.quote(options.input);
        if (!quote.ok) return { invocationMessage: t('Checking the video request') };
        return {
          invocationMessage: t('Starting a video with {0}', quote.modelName),
          confirmationMessages: { title: t('Generate a video with {0}?', quote.modelName), message: confirmation(quote, options.input.prompt) },
        };
      },
      async invoke(options) {
        const quote = await tools.quote(options.input);
        if (!quote.ok) return text({ error: 'The request was not sent: fix these first.', problems: quote.problems });
        const task = await tools.generate(options.input);
        return text({ ...task, note: 'The video is being made and will be saved into the workspace; call get_video_task later. Do not wait for it.' });
      },
    }),
    lm.registerTool<{ id: string }>('get_video_task', {
      prepareInvocation: () => ({ invocationMessage: t('Reading the video task') }),
      invoke: async (options) => text(await tools.getTask(options.input.id)),
    }),
    lm.registerTool<Record<string, never>>('list_video_models', {
      prepareInvocation: () => ({ invocationMessage: t("Reading Kie's video models") }),
      invoke: async () => text(await tools.listModels()),
    }),
  ];
}

function confirmation(quote: Quote, prompt: string): vscode.MarkdownString {
  const t = vscode.l10n.t;
  const md = new vscode.MarkdownString();
  // appendText escapes: the prompt and Kie's texts cannot become links or markup.
  const line = (text: string) => md.appendText(text).appendMarkdown('\n\n');
  line(t('Prompt: {0}', prompt.length > 300 ? `${prompt.slice(0, 300)}…` : prompt));
  line(t('Model: {0}', quote.modelName));
  const options = Object.entries(quote.options)
    .map(([k, v]) => t('{0}: {1}', fieldName(k, t), k === 'duration' ? t('{0} s', String(v)) : optionValueText(k, v, t)))
    .join(t(', '));
  if (options) line(t('Options: {0}', options));
  if (quote.credits !== undefined) line(t('Cost: about {0} credits', quote.credits));
  else if (quote.pricingDesc) line(t('Cost: Kie says “{0}”', quote.pricingDesc));
  else line(t('Cost: unknown'));
  if (quote.balance !== undefined) line(t('Balance: {0} credits', quote.balance));
  md.appendText(t('Kie charges the credits when the task is accepted; they are not refunded if you stop waiting.'));
  return md;
}

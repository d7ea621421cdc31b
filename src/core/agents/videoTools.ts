import { isKieError, nextStep, type KieErrorKind } from '../kie/errors';
import { checkImageFile } from '../media/imageCheck';
import { videoFileName } from '../media/outputNaming';
import { DEFAULT_MODEL } from '../models/bundledSpecs';
import { effectiveValue } from '../models/choices';
import { validateChoices } from '../models/choiceValidation';
import type { ModelCatalog } from '../models/modelCatalog';
import { priceFor } from '../models/pricing';
import type { GenerationRequest, ModelSpec, OptionValue } from '../models/spec';
import type { TaskLedger } from '../tasks/ledger';
import type { TaskRecord } from '../tasks/task';
import type { TaskService } from '../tasks/taskService';

/**
 * What agents can do with videos, the same for the editor's language model tools and the MCP server:
 * list the models, price a request, submit it (through the same task service and ledger as the form,
 * returning at once: the ledger polls and downloads), and read a task. Results are plain data for a
 * model to read; Kie's own texts inside them are data, never instructions.
 */

/** A request in the words an agent uses (the product's concepts; a model's own fields under `options`). */
export interface VideoArgs {
  prompt: string;
  model?: string;
  aspect?: string;
  duration?: number;
  resolution?: string;
  audio?: boolean;
  seed?: number;
  negative?: string;
  /** First frame: a path inside the workspace (or the output folder's root for the MCP server). */
  image?: string;
  last_frame?: string;
  references?: string[];
  options?: Record<string, OptionValue>;
}

export interface ModelSummary {
  id: string;
  name: string;
  provider: string;
  kind: string;
  /** What the model takes: the prompt limit, each option with its values or range and default, image roles. */
  inputs: {
    promptMaxLength: number;
    options: { name: string; values?: (string | number)[]; min?: number; max?: number; default?: OptionValue; required?: boolean; description?: string }[];
    images: string[];
  };
  price: { creditsForDefaults?: number; creditsPerSecond?: number; pricingDesc?: string; checked?: string };
  successRateLastHour?: number;
}

export interface Quote {
  ok: boolean;
  model: string;
  modelName: string;
  /** Every value that will be sent, defaults included. */
  options: Record<string, OptionValue>;
  credits?: number;
  pricingDesc?: string;
  balance?: number;
  /** Why the request cannot be sent as it is; empty when ok. */
  problems: string[];
}

export interface TaskSummary {
  id: string;
  kieTaskId?: string;
  model: string;
  state: string;
  prompt: string;
  elapsedSeconds: number;
  file?: string;
  expectedFile?: string;
  creditsConsumed?: number;
  failure?: { message: string; kieMessage?: string; nextStep: string };
}

export interface VideoToolsDeps {
  catalog: () => Promise<ModelCatalog>;
  service: () => Promise<TaskService>;
  ledger: () => Promise<TaskLedger>;
  /** The balance, when a key is set; undefined otherwise. */
  credits: () => Promise<number | undefined>;
  outputDir: () => string;
  /** Turns an image path the agent gave into an absolute path it may use, or throws saying why. */
  resolveImage: (p: string) => string;
  origin: 'agent' | 'mcp';
  now?: () => number;
}

export class VideoToolError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
    this.name = 'VideoToolError';
  }
}

export class VideoTools {
  constructor(private readonly deps: VideoToolsDeps) {}

  async listModels(): Promise<ModelSummary[]> {
    const catalog = await this.deps.catalog();
    void catalog.refresh();
    return catalog.list().filter((m) => !m.unavailable).map((m) => summary(m.spec, m.pricingDesc, m.successRate));
  }

  async quote(args: VideoArgs): Promise<Quote> {
    const { spec, request, problems } = await this.prepare(args);
    const price = priceFor(spec, request, (await this.deps.catalog()).get(spec.id)?.pricingDesc ?? spec.pricingDesc);
    const balance = await this.deps.credits().catch(() => undefined);
    if (balance !== undefined && price.credits !== undefined && price.credits > balance) {
      problems.push(`The balance (${balance} credits) is below this video's cost (${price.credits} credits): top up on kie.ai first.`);
    }
    const options: Record<string, OptionValue> = {};
    for (const o of spec.options) {
      const v = effectiveValue(o, request);
      if (v !== undefined) options[o.concept ?? o.field] = v;
    }
    return {
      ok: problems.length === 0,
      model: spec.id,
      modelName: spec.label,
      options,
      ...(price.credits !== undefined ? { credits: price.credits } : {}),
      ...(price.pricingDesc ? { pricingDesc: price.pricingDesc } : {}),
      ...(balance !== undefined ? { balance } : {}),
      problems,
    };
  }

  /** Submits and returns at once; throws VideoToolError (nothing sent) when the request is not valid. */
  async generate(args: VideoArgs): Promise<TaskSummary> {
    const { request, problems } = await this.prepare(args);
    if (problems.length > 0) throw new VideoToolError('The request was not sent: fix these first.', problems);
    const service = await this.deps.service();
    const task = await service.submit({ request, outputDir: this.deps.outputDir(), origin: { kind: this.deps.origin } });
    return this.describe(task);
  }

  /** A task by the id `generate` returned, or by Kie's task id. */
  async getTask(id: string): Promise<TaskSummary> {
    const ledger = await this.deps.ledger();
    await ledger.reload();
    const task = ledger.get(id) ?? ledger.all().find((t) => t.taskId === id);
    if (!task) throw new VideoToolError(`No task "${id}" in the task history.`);
    return this.describe(task);
  }

  async listTasks(limit = 20): Promise<TaskSummary[]> {
    const ledger = await this.deps.ledger();
    await ledger.reload();
    return ledger
      .all()
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, limit)
      .map((t) => this.describe(t));
  }

  private async prepare(args: VideoArgs): Promise<{ spec: ModelSpec; request: GenerationRequest; problems: string[] }> {
    if (typeof args.prompt !== 'string') throw new VideoToolError('A prompt is required.');
    const catalog = await this.deps.catalog();
    const id = args.model?.trim() || DEFAULT_MODEL;
    const spec = catalog.spec(id);
    if (!spec) {
      const known = catalog.list().map((m) => m.spec.id);
      throw new VideoToolError(`Unknown model "${id}". Call list_video_models; current ids include ${known.slice(0, 8).join(', ')}.`);
    }
    const problems: string[] = [];
    if (spec.retired || catalog.get(spec.id)?.unavailable) {
      const alternatives = catalog.alternatives(spec.id).map((s) => s.id);
      problems.push(`Kie no longer serves ${spec.label} (${spec.id}). Use ${alternatives.join(' or ') || 'another model from list_video_models'}.`);
    }
    const images: GenerationRequest['images'] = {};
    const resolve = async (p: string, role: string): Promise<string | undefined> => {
      try {
        const abs = this.deps.resolveImage(p);
        await checkImageFile(abs);
        return abs;
      } catch (e) {
        problems.push(`${role} "${p}": ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      }
    };
    if (args.image) images.first = await resolve(args.image, 'image');
    if (args.last_frame) images.last = await resolve(args.last_frame, 'last_frame');
    if (args.references?.length) {
      const refs = await Promise.all(args.references.map((r) => resolve(r, 'reference')));
      images.references = refs.filter((r): r is string => !!r);
    }
    const request: GenerationRequest = {
      model: spec.id,
      prompt: args.prompt,
      ...(args.aspect !== undefined ? { aspect: args.aspect } : {}),
      ...(args.duration !== undefined ? { duration: Number(args.duration) } : {}),
      ...(args.resolution !== undefined ? { resolution: args.resolution } : {}),
      ...(args.audio !== undefined ? { audio: args.audio } : {}),
      ...(args.seed !== undefined ? { seed: Number(args.seed) } : {}),
      ...(args.negative !== undefined ? { negative: args.negative } : {}),
      ...(args.options ? { options: args.options } : {}),
      ...(images.first || images.last || images.references?.length ? { images } : {}),
    };
    for (const issue of validateChoices(spec, request)) if (issue.code !== 'retired') problems.push(issue.message);
    return { spec, request, problems };
  }

  private describe(t: TaskRecord): TaskSummary {
    const now = this.deps.now?.() ?? Date.now();
    const end = t.state === 'completed' || t.state === 'failed' ? t.updatedAt : now;
    return {
      id: t.id,
      ...(t.taskId ? { kieTaskId: t.taskId } : {}),
      model: t.model,
      state: t.state,
      prompt: t.request.prompt,
      elapsedSeconds: Math.max(0, Math.round((end - t.createdAt) / 1000)),
      ...(t.localFile ? { file: t.localFile } : {}),
      ...(!t.localFile && t.taskId ? { expectedFile: `${t.outputDir}/${t.outputName ? `${t.outputName}.mp4` : videoFileName(t.request.prompt, t.taskId)}` } : {}),
      ...(t.creditsConsumed !== undefined ? { creditsConsumed: t.creditsConsumed } : {}),
      ...(t.error
        ? { failure: { message: t.error.message, ...(t.error.detail ? { kieMessage: t.error.detail } : {}), nextStep: nextStepText(t.error.kind) } }
        : t.state === 'unknown'
          ? { failure: { message: 'Kie may or may not have created this task; it was not sent again. Check the Sora view or Kie’s logs before trying again.', nextStep: 'Look the task up in Kie’s logs; Adopt Kie Task saves its video.' } }
          : {}),
    };
  }
}

function summary(spec: ModelSpec, pricingDesc: string | undefined, successRate: number | undefined): ModelSummary {
  const price = priceFor(spec, { prompt: '' }, pricingDesc);
  return {
    id: spec.id,
    name: spec.label,
    provider: spec.provider,
    kind: { text: 'text-to-video', image: 'image-to-video', frames: 'first-and-last-frame', reference: 'reference-to-video' }[spec.kind],
    inputs: {
      promptMaxLength: spec.prompt.max,
      options: spec.options.map((o) => ({
        name: o.concept ?? `options.${o.field}`,
        ...(o.values ? { values: o.values.map((v) => v.value) } : {}),
        ...(o.min !== undefined ? { min: o.min } : {}),
        ...(o.max !== undefined ? { max: o.max } : {}),
        ...(o.default !== undefined ? { default: o.default } : {}),
        ...(o.required ? { required: true } : {}),
        ...(o.description ? { description: o.description } : {}),
      })),
      images: [
        ...(spec.images.first ? [spec.images.first.required ? 'image (required)' : 'image'] : []),
        ...(spec.images.last ? ['last_frame'] : []),
        ...(spec.images.references ? [`references (up to ${spec.images.references.max})`] : []),
      ],
    },
    price: {
      ...(price.credits !== undefined ? { creditsForDefaults: price.credits } : {}),
      ...(price.perSecond !== undefined ? { creditsPerSecond: price.perSecond } : {}),
      ...(price.pricingDesc ? { pricingDesc: price.pricingDesc } : {}),
      ...(price.checked ? { checked: price.checked } : {}),
    },
    ...(successRate !== undefined ? { successRateLastHour: Math.round(successRate * 100) / 100 } : {}),
  };
}

const NEXT: Record<string, string> = {
  setApiKey: 'Set a valid Kie API key.',
  topUp: 'Top up the Kie balance.',
  retry: 'Try again.',
  wait: 'Wait and try again.',
  changePrompt: 'Change the prompt and generate again.',
  changeModel: 'Pick another model from list_video_models.',
  fixInput: 'Fix the input and generate again.',
  none: 'Nothing to do.',
};

function nextStepText(kind: KieErrorKind): string {
  return NEXT[nextStep(kind)] ?? NEXT.none;
}

export function isVideoToolError(e: unknown): e is VideoToolError {
  return e instanceof VideoToolError || (isKieError(e) && e.kind === 'invalidInput');
}

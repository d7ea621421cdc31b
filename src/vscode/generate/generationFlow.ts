import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { KieError, isKieError } from '../../core/kie/errors';
import type { GenerationRequest, ModelSpec } from '../../core/models/spec';
import type { TaskRecord } from '../../core/tasks/task';
import { checkImageFile } from '../../core/media/imageCheck';
import { MAX_VARIANTS } from '../../webview/messages';
import type { CoreServices } from '../coreServices';
import { MISSING_KEY_FIELD } from '../presentation/errorPresentation';
import type { FormCatalog } from './formCatalog';
import { fitRequest } from '../../webview/modelSwitch';
import { issueText } from './formIssueText';
import { requestIssues } from './requestIssues';
import type { KeyStore } from '../keys/keyStore';
import type { Notifier } from '../presentation/notify';
import type { TaskProgress } from '../tasks/progress';
import type { Settings } from '../settings/settings';

export interface GenerateInput {
  /** Images are local file paths; the task service checks and uploads them. */
  request: GenerationRequest;
  /** How many tasks of the same inputs to make (1-4); each is a task of its own in the history. */
  variants?: number;
}

export interface GenerationFlowDeps {
  core: CoreServices;
  catalog(): Promise<FormCatalog>;
  keys: KeyStore;
  settings: Settings;
  notifier: Notifier;
  progress: TaskProgress;
  /** Opens the form on this request (for "Use <model>" and "Change Prompt"); it submits nothing by itself. */
  openForm(request: GenerationRequest, dropped?: string[]): unknown;
}

/** Errors the form shows next to a field; everything else also gets a notification with its actions. */
const FORM_KINDS = new Set(['invalidInput', 'validation']);

/**
 * What "Generate" does, for the form and for `SoraApi.generate`: validate against the model's spec,
 * require a key, submit each variant (the task service uploads the images once and writes the ledger
 * before sending), then show progress. Throws KieError so the caller can put the message next to the
 * right field.
 */
export function createGenerate(deps: GenerationFlowDeps): (input: GenerateInput) => Promise<TaskRecord[]> {
  const generate = async (input: GenerateInput): Promise<TaskRecord[]> => {
    const catalog = await deps.catalog();
    const spec = (id: string): ModelSpec | undefined => catalog.spec(id);
    try {
      return await submit(catalog, input);
    } catch (err) {
      if (isKieError(err) && (err.kind === 'modelUnavailable' || err.kind === 'featureDisabled')) catalog.markUnavailable(input.request.model);
      if (!isKieError(err) || !FORM_KINDS.has(err.kind)) {
        void deps.notifier.showError(err, {
          model: input.request.model,
          handlers: {
            retry: () => generate(input).catch(() => undefined),
            useModel: (a) => {
              const to = a.model ? spec(a.model) : undefined;
              if (!to) return deps.openForm(input.request);
              const moved = fitRequest(spec(input.request.model), to, input.request);
              return deps.openForm(moved.request, moved.dropped);
            },
            editForm: () => deps.openForm(input.request),
          },
        });
      }
      throw err;
    }
  };

  const submit = async (catalog: FormCatalog, { request, variants = 1 }: GenerateInput): Promise<TaskRecord[]> => {
    const spec = (id: string): ModelSpec | undefined => catalog.spec(id);
    // A model only Kie's live catalog lists may not be loaded yet (an agent, a prompt file, a test).
    const model = spec(request.model) ?? (await listedSpec(catalog, request.model));
    if (!model) throw new KieError({ kind: 'invalidInput', field: 'model', message: `Unknown model "${request.model}".`, detail: vscode.l10n.t('Unknown model “{0}”: pick one from the list.', request.model) });
    if (model.source === 'live') await catalog.ensureSchema(model.id);
    const issue = requestIssues(catalog, model, request)[0];
    if (issue?.code === 'retired') {
      // Not sent: Kie answers every retired model with an error, and a retry can never succeed.
      throw new KieError({ kind: 'modelUnavailable', message: issue.message, alternativeModel: model.retired?.alternative });
    }
    if (issue) {
      const labelOf = (id: string) => spec(id)?.label ?? id;
      throw new KieError({ kind: 'invalidInput', field: issue.field, message: issue.message, detail: issueText(issue, model, vscode.l10n.t, labelOf) });
    }
    const count = Math.max(1, Math.min(MAX_VARIANTS, Math.floor(variants)));
    const files = [request.images?.first, request.images?.last, ...(request.images?.references ?? [])].filter((f): f is string => !!f);
    for (const file of new Set(files)) await checkImageFile(file);
    if (!(await deps.keys.hasKieKey())) {
      throw new KieError({ kind: 'unauthorized', field: MISSING_KEY_FIELD, message: 'No Kie API key is set.' });
    }
    // Builds the client for the key just checked, in case the key changed a moment ago.
    await deps.core.client();
    const service = await deps.core.taskService();
    const outputDir = deps.settings.outputDir();
    const batchId = count > 1 ? `b-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}` : undefined;
    const tasks: TaskRecord[] = [];
    for (let variant = 1; variant <= count; variant++) {
      const task = await service.submit({ request, outputDir, origin: { kind: 'form', ...(batchId ? { batchId, variant } : {}) } });
      deps.progress.track(task);
      tasks.push(task);
    }
    return tasks;
  };

  return generate;
}

/** How long a request for a model not yet in the catalog waits for Kie's list and its schema. */
const LISTING_WAIT_MS = 10_000;

/**
 * The spec of a model the catalog does not know yet: refreshes the catalog, and if another refresh was
 * already under way (the form opening), waits for the catalog to change until the model appears.
 */
async function listedSpec(catalog: FormCatalog, id: string): Promise<ModelSpec | undefined> {
  await catalog.refresh({ force: true });
  if (catalog.spec(id)) return catalog.spec(id);
  return new Promise((resolve) => {
    const done = (spec: ModelSpec | undefined) => {
      clearTimeout(timer);
      sub.dispose();
      resolve(spec);
    };
    const sub = catalog.onDidChange(() => {
      const spec = catalog.spec(id);
      if (spec) done(spec);
    });
    const timer = setTimeout(() => done(catalog.spec(id)), LISTING_WAIT_MS);
  });
}

/** Names and alternatives for the notifier: what the catalog knows of a model. */
export async function modelInfo(catalog: Promise<FormCatalog>, id: string): Promise<{ label?: string; alternatives: { id: string; label: string }[] }> {
  const c = await catalog;
  return { label: c.spec(id)?.label, alternatives: c.alternatives(id).map((s) => ({ id: s.id, label: s.label })) };
}

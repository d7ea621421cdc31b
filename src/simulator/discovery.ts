import { kieError, kieOk } from './envelope';
import type { Answer } from './http';
import { openApiDocument } from './models/openapi';
import { successPoints } from './models/successRate';
import { MODELS, type SimModel } from './models/table';

/** What Kie's discovery API (kie-api.md §5) reads. */
export interface DiscoveryContext {
  now(): number;
  /** Sora is listed only while the simulator plays the Kie of before June 2026. */
  soraEnabled: boolean;
  /** Models retired for a drill: gone from the list and unknown to the other endpoints. */
  unpublishedModels: ReadonlySet<string>;
  /** Percent for a model's last hour, set by a test. */
  successOverrides: ReadonlyMap<string, number>;
}

export const DISCOVERY_PREFIX = '/api/v1/models';
const SUFFIXES = ['/schema', '/price', '/success-rate'] as const;
const MODEL_NOT_FOUND = 'Model not found';

function listed(ctx: DiscoveryContext): SimModel[] {
  return MODELS.filter((m) => !ctx.unpublishedModels.has(m.id) && (!m.retired || ctx.soraEnabled));
}

function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
}

/** The docs page path Kie names a model by, e.g. `kling-3-0-video`. */
function slug(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

function listModels(ctx: DiscoveryContext, query: Record<string, string>): Answer {
  const types = commaList(query.taskType);
  const providers = commaList(query.provider);
  const q = (query.q ?? '').trim().toLowerCase();
  const models = listed(ctx)
    .filter((m) => types.length === 0 || m.taskTypes.some((t) => types.includes(t.toLowerCase())))
    .filter((m) => providers.length === 0 || providers.includes(m.provider.toLowerCase()))
    .filter((m) => q === '' || [m.id, m.title, m.provider, m.description ?? ''].some((s) => s.toLowerCase().includes(q)))
    .map((m) => ({ model: m.id, slug: slug(m.id), title: m.title, provider: m.provider, taskType: [...m.taskTypes], description: m.description, pricingDesc: m.pricingDesc }));
  return kieOk({ total: models.length, models });
}

/**
 * Routes `GET /api/v1/models[/{model}/(schema|price|success-rate)]`. The model id keeps its slash
 * unencoded in the path (`/api/v1/models/kling-3.0/video/schema`); an encoded `%2F` names no model.
 */
export function handleDiscovery(ctx: DiscoveryContext, path: string, query: Record<string, string>): Answer {
  if (path === DISCOVERY_PREFIX || path === `${DISCOVERY_PREFIX}/`) return listModels(ctx, query);
  const suffix = SUFFIXES.find((s) => path.endsWith(s));
  const id = suffix ? path.slice(DISCOVERY_PREFIX.length + 1, path.length - suffix.length) : '';
  const model = listed(ctx).find((m) => m.id === id);
  if (!suffix) return kieError(404, 'Not found', 404);
  if (!model) return kieError(404, MODEL_NOT_FOUND);
  if (suffix === '/schema') return kieOk({ model: model.id, openapi: model.schemaNotSynced ? null : openApiDocument(model) });
  if (suffix === '/price') return kieOk({ model: model.id, pricingDesc: model.pricingDesc });
  return kieOk({ model: model.id, points: successPoints(model, ctx.now(), ctx.successOverrides.get(model.id)) });
}

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { recentSuccessRate, type ListedModel, type SuccessRatePoint } from '../kie/discoveryApi';
import { BUNDLED_SPECS } from './bundledSpecs';
import { DiscoveryBudget } from './discoveryBudget';
import { specFromSchema } from './liveSpec';
import type { ModelRequest } from './requestBuilder';
import { checkAgainstSchema, driftFrom, pruneToSchema } from './schemaCheck';
import type { ModelSpec } from './spec';

/** The part of KieClient the catalog uses. */
export interface DiscoveryClient {
  listModels(signal?: AbortSignal): Promise<ListedModel[]>;
  modelSchema(model: string, signal?: AbortSignal): Promise<Record<string, unknown> | undefined>;
  modelSuccessRate(model: string, signal?: AbortSignal): Promise<SuccessRatePoint[]>;
}

/** A model as the picker shows it. */
export interface CatalogModel {
  spec: ModelSpec;
  /** Kie's title, when the live catalog lists the model. */
  title?: string;
  pricingDesc?: string;
  /** 0-1 over the last hour, when known. */
  successRate?: number;
  /** Kie answered "paused" or "not supported" for it in this session. */
  unavailable?: boolean;
}

export interface CatalogInfo {
  /** `live`: fetched in this session; `cache`: from an earlier one; `bundled`: Kie's list never reached. */
  source: 'live' | 'cache' | 'bundled';
  fetchedAt?: number;
}

interface Stamped<T> {
  fetchedAt: number;
  value: T;
}

interface CacheFile {
  version: 1;
  list?: Stamped<ListedModel[]>;
  schemas: Record<string, Stamped<Record<string, unknown> | null>>;
}

export interface ModelCatalogOptions {
  /** The client for the current key, or undefined without one (the bundled catalog then serves). */
  discovery: () => Promise<DiscoveryClient | undefined>;
  /** Where the catalog and schemas are cached between sessions (the extension's global storage). */
  cacheFile?: string;
  now?: () => number;
  log?: (line: string) => void;
  budget?: DiscoveryBudget;
  /** A catalog older than this is refreshed in the background (default a day). */
  maxAgeMs?: number;
  /** Success rates are fetched again after this long (default 10 minutes). */
  rateMaxAgeMs?: number;
}

const DAY = 24 * 60 * 60 * 1000;
const RECENT_MS = 5 * 60 * 1000;
const VIDEO_TYPES = /to video/i;

/**
 * Every model the product can offer: the bundled specs, plus what Kie's discovery API lists, with a spec
 * built from its live schema for models no release of ours knows. Read from a cache at start (never from
 * the network during activation), refreshed in the background when older than a day or when the form
 * opens, at most one discovery request a second; offline or on any error the bundled catalog serves.
 */
export class ModelCatalog {
  private cache: CacheFile = { version: 1, schemas: {} };
  private fromThisSession = false;
  private readonly live = new Map<string, ModelSpec>();
  private readonly rates = new Map<string, Stamped<number | undefined>>();
  private readonly unavailable = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private readonly budget: DiscoveryBudget;
  private refreshing?: Promise<void>;
  private readonly now: () => number;

  constructor(private readonly opts: ModelCatalogOptions) {
    this.budget = opts.budget ?? new DiscoveryBudget();
    this.now = opts.now ?? Date.now;
  }

  /** Reads the cache; cheap, no network. */
  async load(): Promise<void> {
    if (!this.opts.cacheFile) return;
    try {
      const parsed = JSON.parse(await fs.readFile(this.opts.cacheFile, 'utf8')) as CacheFile;
      if (parsed?.version === 1 && typeof parsed.schemas === 'object') {
        this.cache = parsed;
        this.rebuild();
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log(`model catalog cache unreadable, starting from the bundled models: ${(e as Error).message}`);
    }
  }

  info(): CatalogInfo {
    if (!this.cache.list) return { source: 'bundled' };
    return { source: this.fromThisSession ? 'live' : 'cache', fetchedAt: this.cache.list.fetchedAt };
  }

  /** Models offered for new videos: bundled ones first, then those only Kie's live catalog lists. */
  list(): CatalogModel[] {
    const listed = new Map((this.cache.list?.value ?? []).map((m) => [m.model, m]));
    const entry = (spec: ModelSpec): CatalogModel => {
      const l = listed.get(spec.apiModel);
      const rate = this.rates.get(spec.id)?.value;
      const pricingDesc = l?.pricingDesc ?? spec.pricingDesc;
      return {
        spec,
        ...(l ? { title: l.title } : {}),
        ...(pricingDesc ? { pricingDesc } : {}),
        ...(rate !== undefined ? { successRate: rate } : {}),
        ...(this.unavailable.has(spec.id) ? { unavailable: true } : {}),
      };
    };
    return [...BUNDLED_SPECS.filter((s) => !s.retired).map(entry), ...[...this.live.values()].map(entry)];
  }

  get(id: string): CatalogModel | undefined {
    return this.list().find((m) => m.spec.id === id);
  }

  /** Any model's spec, retired ones included (old tasks and prompt files name them). */
  spec(id: string): ModelSpec | undefined {
    return BUNDLED_SPECS.find((s) => s.id === id) ?? this.live.get(id);
  }

  markUnavailable(id: string): void {
    if (this.unavailable.has(id)) return;
    this.unavailable.add(id);
    this.emit();
  }

  /** Live models to offer instead of `id`: its declared successor first, then others of the same kind. */
  alternatives(id: string, max = 3): ModelSpec[] {
    const spec = this.spec(id);
    const offered = this.list().filter((m) => !m.unavailable && m.spec.id !== id).map((m) => m.spec);
    const successor = spec?.retired ? offered.find((s) => s.id === spec.retired!.alternative) : undefined;
    const sameKind = offered.filter((s) => s !== successor && (!spec || s.kind === spec.kind || (spec.kind !== 'text' && s.images.first)));
    return [...(successor ? [successor] : []), ...sameKind].slice(0, max);
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /**
   * Refreshes the list (and the schemas of models only it knows) when older than a day, or on `force`
   * (the form opening) unless this session fetched it in the last few minutes. Never throws.
   */
  refresh(opts: { force?: boolean } = {}): Promise<void> {
    const age = this.cache.list ? this.now() - this.cache.list.fetchedAt : Infinity;
    const stale = age >= (this.opts.maxAgeMs ?? DAY);
    const recent = this.fromThisSession && age < RECENT_MS;
    if (!stale && (!opts.force || recent)) return Promise.resolve();
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** Fetches one model's schema if it is not cached (the form calls this for the model it shows). */
  async ensureSchema(id: string): Promise<void> {
    const spec = this.spec(id);
    if (!spec || spec.family !== 'jobs' || this.cache.schemas[spec.apiModel]) return;
    const client = await this.opts.discovery();
    if (!client) return;
    try {
      await this.fetchSchema(client, spec.apiModel);
      await this.save();
      this.emit();
    } catch (e) {
      this.log(`schema of ${spec.apiModel} not fetched: ${(e as Error).message}`);
    }
  }

  /** The model's success rate over the last hour, fetched at most every 10 minutes; undefined if unknown. */
  async successRate(id: string): Promise<number | undefined> {
    const spec = this.spec(id);
    if (!spec) return undefined;
    const known = this.rates.get(id);
    if (known && this.now() - known.fetchedAt < (this.opts.rateMaxAgeMs ?? 600_000)) return known.value;
    const client = await this.opts.discovery();
    if (!client) return known?.value;
    try {
      const points = await this.budget.run(() => client.modelSuccessRate(spec.apiModel));
      const rate = recentSuccessRate(points, this.now());
      this.rates.set(id, { fetchedAt: this.now(), value: rate });
      this.emit();
      return rate;
    } catch (e) {
      this.log(`success rate of ${spec.apiModel} not fetched: ${(e as Error).message}`);
      return known?.value;
    }
  }

  /**
   * The last look at a request before it is sent: what Kie's live schema no longer takes is not sent,
   * and the log says so. Without a cached schema the request goes as built.
   */
  prepare(spec: ModelSpec, req: ModelRequest): ModelRequest {
    if (spec.source !== 'bundled') return req;
    const openapi = this.cache.schemas[spec.apiModel]?.value;
    if (!openapi) return req;
    const { request, dropped } = pruneToSchema(req, driftFrom(spec, openapi));
    if (dropped.length > 0) this.log(`${spec.id}: not sent, Kie's live schema no longer takes ${dropped.join(', ')}`);
    return request;
  }

  /** Problems with a built request by the model's cached live schema (empty when valid or unknown). */
  schemaProblems(spec: ModelSpec, req: ModelRequest): string[] {
    const openapi = spec.family === 'jobs' ? this.cache.schemas[spec.apiModel]?.value : undefined;
    return openapi ? checkAgainstSchema(openapi, { model: req.model, input: req.input }) : [];
  }

  private async doRefresh(): Promise<void> {
    const client = await this.opts.discovery();
    if (!client) return;
    try {
      const models = await this.budget.run(() => client.listModels());
      const videos = models.filter((m) => m.taskTypes.length === 0 || m.taskTypes.some((t) => VIDEO_TYPES.test(t)));
      this.cache.list = { fetchedAt: this.now(), value: videos };
      this.fromThisSession = true;
      this.rebuild();
      this.emit();
      const known = new Set(BUNDLED_SPECS.map((s) => s.apiModel));
      for (const m of videos) {
        if (known.has(m.model) || /^sora-/.test(m.model)) continue;
        const cached = this.cache.schemas[m.model];
        if (cached && this.now() - cached.fetchedAt < (this.opts.maxAgeMs ?? DAY)) continue;
        try {
          await this.fetchSchema(client, m.model);
        } catch (e) {
          this.log(`schema of ${m.model} not fetched: ${(e as Error).message}`);
        }
      }
      this.rebuild();
      await this.save();
      this.emit();
    } catch (e) {
      this.log(`Kie's model catalog not refreshed, using ${this.cache.list ? 'the cached' : 'the bundled'} one: ${(e as Error).message}`);
    }
  }

  private async fetchSchema(client: DiscoveryClient, model: string): Promise<void> {
    const openapi = await this.budget.run(() => client.modelSchema(model));
    this.cache.schemas[model] = { fetchedAt: this.now(), value: openapi ?? null };
    const bundled = BUNDLED_SPECS.find((s) => s.apiModel === model);
    const drift = bundled && openapi ? driftFrom(bundled, openapi) : undefined;
    if (drift) this.log(`${model}: Kie's live schema differs from the bundled spec (${JSON.stringify(drift)}); those fields are not sent`);
  }

  private rebuild(): void {
    this.live.clear();
    const bundled = new Set(BUNDLED_SPECS.map((s) => s.apiModel));
    for (const m of this.cache.list?.value ?? []) {
      if (bundled.has(m.model) || /^sora-/.test(m.model)) continue;
      const openapi = this.cache.schemas[m.model]?.value;
      const spec = openapi ? specFromSchema(m, openapi) : undefined;
      if (spec) this.live.set(spec.id, spec);
    }
  }

  private async save(): Promise<void> {
    if (!this.opts.cacheFile) return;
    try {
      await fs.mkdir(path.dirname(this.opts.cacheFile), { recursive: true });
      const tmp = `${this.opts.cacheFile}.${process.pid}.tmp`;
      await fs.writeFile(tmp, JSON.stringify(this.cache));
      await fs.rename(tmp, this.opts.cacheFile);
    } catch (e) {
      this.log(`model catalog cache not written: ${(e as Error).message}`);
    }
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }

  private log(line: string): void {
    this.opts.log?.(line);
  }
}

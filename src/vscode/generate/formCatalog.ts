import type { ModelRequest } from '../../core/models/requestBuilder';
import type { ModelSpec } from '../../core/models/spec';
import type { CatalogView, ModelEntry } from '../../webview/messages';

/**
 * What the generate form needs of the model catalog (core/models/modelCatalog.ts: the bundled specs plus
 * Kie's live catalog); an interface so the form's logic is tested without the network.
 */
export interface FormCatalog {
  /** Models offered for new videos (retired ones are not). */
  list(): ModelEntry[];
  /** Any model's spec, retired ones included. */
  spec(id: string): ModelSpec | undefined;
  info(): CatalogView;
  /** Asks Kie's discovery API again in the background; never throws. */
  refresh(opts?: { force?: boolean }): Promise<void>;
  ensureSchema(id: string): Promise<void>;
  successRate(id: string): Promise<number | undefined>;
  markUnavailable(id: string): void;
  /** Live models to offer instead of `id`, best first. */
  alternatives(id: string, max?: number): ModelSpec[];
  schemaProblems(spec: ModelSpec, req: ModelRequest): string[];
  onDidChange(listener: () => void): { dispose(): void };
}

import { validateChoices } from '../../core/models/choiceValidation';
import { buildRequest } from '../../core/models/requestBuilder';
import type { ChoiceIssue, GenerationRequest, ModelSpec } from '../../core/models/spec';
import type { FormCatalog } from './formCatalog';

/**
 * Everything wrong with a request before any money is spent: the spec's checks, then, when the catalog
 * has the model's live schema, Kie's own. Images are local paths here; the schema sees stand-in URLs
 * in their place, since the uploads happen only once the request is valid.
 */
export function requestIssues(catalog: Pick<FormCatalog, 'schemaProblems'>, spec: ModelSpec, request: GenerationRequest): ChoiceIssue[] {
  const issues = validateChoices(spec, request);
  if (issues.length > 0) return issues;
  const i = request.images;
  const url = (role: string) => `https://upload.invalid/${role}.png`;
  const uploaded = i ? { ...(i.first ? { first: url('first') } : {}), ...(i.last ? { last: url('last') } : {}), ...(i.references ? { references: i.references.map((_, n) => url(`reference-${n + 1}`)) } : {}) } : undefined;
  const built = buildRequest(spec, { ...request, ...(uploaded ? { images: uploaded } : {}) });
  return catalog.schemaProblems(spec, built).map((problem) => ({ field: 'model', code: 'schema', values: { problem }, message: `Kie's schema for ${spec.label} does not accept this: ${problem}` }));
}

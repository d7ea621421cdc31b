import { imageRoles, type Concept, type ModelSpec, type OptionValue } from './spec';

export type FieldControl = 'select' | 'toggle' | 'number' | 'text';

/** One field of the generate form, derived from a spec; the host and the webview read the same list. */
export type FormField =
  | { kind: 'prompt'; max: number; min?: number; optional: boolean }
  | {
      kind: 'option';
      /** Where the value lives in the choices: a concept, or `option:<field>` for a model-own field. */
      key: Concept | `option:${string}`;
      concept?: Concept;
      field: string;
      control: FieldControl;
      values?: { value: string | number; means?: string }[];
      min?: number;
      max?: number;
      default?: OptionValue;
      required: boolean;
      description?: string;
    }
  | { kind: 'image'; role: 'first' | 'last' | 'references'; required: boolean; max: number };

const CONTROL = { choice: 'select', boolean: 'toggle', integer: 'number', number: 'number', text: 'text' } as const;

/** The form's fields for a model: the prompt, its options in spec order, then its image slots. */
export function formFields(spec: ModelSpec): FormField[] {
  const fields: FormField[] = [{ kind: 'prompt', max: spec.prompt.max, ...(spec.prompt.min !== undefined ? { min: spec.prompt.min } : {}), optional: !!spec.prompt.optional }];
  for (const o of spec.options) {
    fields.push({
      kind: 'option',
      key: o.concept ?? `option:${o.field}`,
      ...(o.concept ? { concept: o.concept } : {}),
      field: o.field,
      control: CONTROL[o.type],
      ...(o.values ? { values: o.values.map((v) => ({ ...v })) } : {}),
      ...(o.min !== undefined ? { min: o.min } : {}),
      ...(o.max !== undefined ? { max: o.max } : {}),
      ...(o.default !== undefined ? { default: o.default } : {}),
      required: !!o.required,
      ...(o.description ? { description: o.description } : {}),
    });
  }
  for (const role of imageRoles(spec)) {
    const slot = spec.images[role];
    const max = role === 'references' ? (spec.images.references?.max ?? 0) : 1;
    fields.push({ kind: 'image', role, required: role !== 'references' && !!(slot as { required?: boolean } | undefined)?.required, max });
  }
  return fields;
}

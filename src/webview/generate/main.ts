import { formFields, type FormField } from '../../core/models/formFields';
import { priceFor } from '../../core/models/pricing';
import type { Concept, GenerationRequest, IssueField, ModelKind, ModelSpec, OptionValue, VideoChoices } from '../../core/models/spec';
import { format, formatBytes, h, readStrings, vscodeApi } from '../dom';
import { fitRequest } from '../modelSwitch';
import {
  MAX_VARIANTS,
  type CatalogView,
  type FieldIssue,
  type FormState,
  type GenerateHostMessage,
  type GenerateWebviewMessage,
  type ImageRole,
  type ImageView,
  type ModelEntry,
  type UnavailableView,
} from '../messages';
import type { GenerateStrings } from '../strings';

const vscode = vscodeApi<GenerateWebviewMessage>();
const s = readStrings<GenerateStrings>();
const isMac = /Mac|iPhone|iPad/.test(navigator.platform);

/** Below this recent success rate a model carries a warning in the picker. */
const HEALTHY = 0.8;

let models: ModelEntry[] = [];
let catalog: CatalogView = { source: 'bundled' };
let form: FormState | undefined;
const images = new Map<string, ImageView>();
let keyPresent = true;
let maxImageBytes = 10 * 1024 * 1024;
let submitting = false;
let issues: FieldIssue[] = [];
/** Issues show for fields the user has changed, and for all of them after a Generate. */
let showAllIssues = false;
/** Set after a submission that may have reached Kie; cleared by any change to the form. */
let mayExistBlock = false;
const touched = new Set<string>();
let imageErrors: Partial<Record<ImageRole, string>> = {};
let dropped: { model: string; names: string[] } | undefined;
/** The model the form was asked to open that Kie no longer serves. */
let replaced: { from: string; to: string } | undefined;
let unavailable: UnavailableView | undefined;
/** The spec the fields were built from, as JSON: every message delivers fresh copies of the same spec. */
let builtFor: string | undefined;
let dirtyTimer: ReturnType<typeof setTimeout> | undefined;

const app = document.getElementById('app') as HTMLElement;

// ---- small helpers ----

const icon = (name: string) => h('span', { class: `codicon codicon-${name}`, attrs: { 'aria-hidden': 'true' } });

function entryOf(id: string | undefined): ModelEntry | undefined {
  return models.find((m) => m.spec.id === id);
}

function currentEntry(): ModelEntry | undefined {
  return entryOf(form?.request.model);
}

function kindText(kind: ModelKind): string {
  return { text: s.kindText, image: s.kindImage, frames: s.kindFrames, reference: s.kindReference }[kind];
}

function modelName(entry: ModelEntry): string {
  // A live-only model's title is Kie's text; its kind beside it is ours.
  return format(s.modelName, entry.spec.source === 'live' && entry.title ? entry.title : entry.spec.label, kindText(entry.spec.kind));
}

function conceptLabel(concept: Concept): string {
  return { aspect: s.aspect, duration: s.duration, resolution: s.resolution, audio: s.audio, seed: s.seed, negative: s.negative }[concept];
}

function roleLabel(role: ImageRole): string {
  return { first: s.firstFrame, last: s.lastFrame, references: s.references }[role];
}

/** The localized name of a dropped value, an issue's field or an option. */
function nameOf(name: string): string {
  if (['aspect', 'duration', 'resolution', 'audio', 'seed', 'negative'].includes(name)) return conceptLabel(name as Concept);
  if (name === 'first' || name === 'last' || name === 'references') return roleLabel(name);
  const field = name.startsWith('option:') ? name.slice(7) : name;
  return s.optionLabels[field] ?? field;
}

/** Numbers as VS Code's display language writes them; a tag the browser does not know falls back to its own. */
function number(n: number, options?: Intl.NumberFormatOptions): string {
  try {
    return n.toLocaleString(s.displayLanguage, options);
  } catch {
    return n.toLocaleString(undefined, options);
  }
}

function credits(n: number): string {
  return number(n, { maximumFractionDigits: 1 });
}

function priceText(entry: ModelEntry, request: VideoChoices): { text: string; title: string } {
  const price = priceFor(entry.spec, request, entry.pricingDesc ?? entry.spec.pricingDesc);
  const title = [price.checked ? format(s.priceChecked, price.checked) : '', price.pricingDesc ? format(s.kiePricing, price.pricingDesc) : ''].filter(Boolean).join('\n');
  if (price.credits !== undefined) return { text: format(s.creditsApprox, credits(price.credits)), title };
  if (price.perSecond !== undefined) return { text: format(s.creditsPerSecond, credits(price.perSecond)), title };
  return { text: price.pricingDesc ? format(s.kiePricing, price.pricingDesc) : s.priceUnknown, title };
}

function valueOf(request: GenerationRequest, key: string): OptionValue | undefined {
  if (key.startsWith('option:')) return request.options?.[key.slice(7)];
  return request[key as Concept];
}

function withValue(request: GenerationRequest, key: string, value: OptionValue | undefined): GenerationRequest {
  if (key.startsWith('option:')) {
    const options = { ...request.options };
    if (value === undefined) delete options[key.slice(7)];
    else options[key.slice(7)] = value;
    return { ...request, options };
  }
  const next = { ...request } as Record<string, unknown>;
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next as unknown as GenerationRequest;
}

// ---- the page's fixed parts, built once ----

const banner = h('div', { class: 'banner', attrs: { role: 'status' } }, h('span', {}, icon('warning'), ' ', s.noKeyBanner), h('button', { class: 'secondary', text: s.setApiKey, attrs: { type: 'button' } }));

const promptInput = h('textarea', { id: 'prompt', attrs: { rows: '6', placeholder: s.promptPlaceholder, 'aria-describedby': 'err-prompt prompt-counter', spellcheck: 'true' } });
const promptLabel = h('label', { attrs: { for: 'prompt' } }, s.prompt);
const promptCounter = h('span', { id: 'prompt-counter', class: 'counter' });

const modelSelect = h('select', { id: 'model', attrs: { 'aria-describedby': 'err-model model-notes catalog-source' } });
const catalogSource = h('span', { id: 'catalog-source', class: 'hint' });
const modelNotes = h('div', { id: 'model-notes', attrs: { 'aria-live': 'polite' } });

const optionsBox = h('div', { class: 'options', id: 'options' });
const imagesBox = h('div', { class: 'images', id: 'images' });

const variantsInput = h('input', { id: 'variants', attrs: { type: 'number', min: '1', max: String(MAX_VARIANTS), step: '1', 'aria-describedby': 'variants-hint' } });

const submitButton = h('button', { id: 'submit', attrs: { type: 'submit' } });
const saveButton = h('button', { id: 'save-prompt-file', class: 'secondary', attrs: { type: 'button' } }, icon('save'), ' ', s.savePromptFile);
const shortcut = h('kbd', { text: isMac ? '⌘⏎' : 'Ctrl+Enter' });
const cost = h('span', { id: 'cost', class: 'cost', attrs: { tabindex: '0' } });
const balanceText = h('span', { text: s.creditsLoading });
const balanceError = h('span', { class: 'error-text' });
const balanceKeyLink = h('button', { class: 'link', text: s.setApiKey, attrs: { type: 'button' } });
const refreshBalance = h('button', { class: 'icon', attrs: { type: 'button', title: s.refreshCredits, 'aria-label': s.refreshCredits } }, icon('refresh'));
balanceError.hidden = true;
const balance = h('span', { class: 'balance', attrs: { 'aria-live': 'polite' } }, balanceText, balanceError, balanceKeyLink, refreshBalance);
const status = h('div', { class: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
const statusActions = h('div', { class: 'buttons' });

const errorSlot = (field: string) => h('div', { id: `err-${field}`, class: 'field-error', attrs: { 'data-field': field } });

const formEl = h(
  'form',
  { attrs: { novalidate: '' } },
  h('div', { class: 'field', id: 'model-field' }, h('label', { attrs: { for: 'model' } }, s.model), modelSelect, catalogSource, modelNotes, errorSlot('model')),
  h('div', { class: 'field', id: 'prompt-field' }, promptLabel, promptInput, h('div', { class: 'field-foot' }, errorSlot('prompt'), promptCounter)),
  optionsBox,
  imagesBox,
  h(
    'div',
    { class: 'field', id: 'variants-field' },
    h('label', { attrs: { for: 'variants' } }, s.variants),
    h('div', { class: 'inline' }, variantsInput, h('span', { id: 'variants-hint', class: 'hint', text: s.variantsHint })),
  ),
  h('div', { class: 'actions' }, submitButton, shortcut, saveButton, h('span', { class: 'money' }, cost, balance)),
  status,
  statusActions,
);

app.append(banner, formEl);
app.hidden = true;

// ---- the model picker ----

function renderPicker(): void {
  if (!form) return;
  const current = form.request.model;
  const groups = new Map<string, ModelEntry[]>();
  for (const m of models) {
    // Retired models (Sora) are not offered for new videos; one already chosen stays visible.
    if (m.spec.retired && m.spec.id !== current) continue;
    const list = groups.get(m.spec.provider) ?? [];
    list.push(m);
    groups.set(m.spec.provider, list);
  }
  const optgroups = [...groups].map(([provider, list]) =>
    h(
      'optgroup',
      { attrs: { label: provider } },
      ...list.map((m) => {
        const parts = [modelName(m), priceText(m, fitRequest(entryOf(current)?.spec, m.spec, form!.request).request).text];
        if (m.spec.retired) parts.push(s.retiredSuffix);
        else if (m.unavailable) parts.push(s.unavailableSuffix);
        else if (m.successRate !== undefined && m.successRate < HEALTHY) parts.push(format(s.healthSuffix, Math.round(m.successRate * 100)));
        return h('option', { text: parts.join(' · '), attrs: { value: m.spec.id } });
      }),
    ),
  );
  const signature = optgroups.map((g) => g.outerHTML).join('');
  if (modelSelect.dataset.signature !== signature) {
    modelSelect.replaceChildren(...optgroups);
    modelSelect.dataset.signature = signature;
  }
  modelSelect.value = current;

  const age = catalog.fetchedAt !== undefined ? Date.now() - catalog.fetchedAt : undefined;
  catalogSource.replaceChildren(
    icon(catalog.source === 'live' ? 'cloud' : catalog.source === 'cache' ? 'history' : 'circle-slash'),
    ' ',
    catalog.source === 'live' ? s.catalogLive : catalog.source === 'cache' && age !== undefined ? format(s.catalogCached, ageText(age)) : s.catalogBundled,
  );
  renderModelNotes();
}

function ageText(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 90) return format(s.ageMinutes, minutes);
  const hours = Math.round(minutes / 60);
  if (hours < 36) return format(s.ageHours, hours);
  return format(s.ageDays, Math.round(hours / 24));
}

function notice(kind: 'warning' | 'info', text: string, ...buttons: HTMLElement[]): HTMLElement {
  return h('div', { class: `notice ${kind}` }, h('p', {}, icon(kind), ' ', text), buttons.length ? h('div', { class: 'buttons' }, ...buttons) : null);
}

function useModelButton(id: string): HTMLElement | null {
  const entry = entryOf(id);
  if (!entry) return null;
  const b = h('button', { class: 'secondary', text: format(s.useModel, modelName(entry)), attrs: { type: 'button' } });
  b.addEventListener('click', () => {
    switchModel(id);
    modelSelect.focus();
  });
  return b;
}

function renderModelNotes(): void {
  const entry = currentEntry();
  const notes: HTMLElement[] = [];
  if (entry?.spec.retired) {
    notes.push(notice('warning', format(s.retiredNote, modelName(entry)), ...[useModelButton(entry.spec.retired.alternative)].filter((b): b is HTMLElement => !!b)));
  } else if (entry?.unavailable) {
    notes.push(notice('warning', format(s.unavailableNote, modelName(entry))));
  } else if (entry?.successRate !== undefined && entry.successRate < HEALTHY) {
    notes.push(notice('warning', format(s.healthNote, modelName(entry), Math.round(entry.successRate * 100))));
  }
  if (replaced && replaced.to === form?.request.model && entry) {
    const from = entryOf(replaced.from);
    notes.push(notice('warning', format(s.replacedNote, from ? modelName(from) : replaced.from, modelName(entry))));
  }
  if (dropped && dropped.model === form?.request.model && dropped.names.length > 0) {
    notes.push(notice('info', format(s.droppedNote, entry ? modelName(entry) : dropped.model, dropped.names.map(nameOf).join(', '))));
  }
  modelNotes.replaceChildren(...notes);
}

// ---- the model's own fields, rebuilt when the model changes ----

interface Bound {
  key: string;
  render(): void;
}
let bound: Bound[] = [];

function optionField(f: Extract<FormField, { kind: 'option' }>): { el: HTMLElement; bound: Bound } {
  const id = `opt-${f.key.replace(/[^\w-]/g, '_')}`;
  const label = f.concept ? conceptLabel(f.concept) : (s.optionLabels[f.field] ?? f.field);
  const described = [`err-${f.key}`, `${id}-hint`].join(' ');
  const labelEl = h('label', { attrs: { for: id } }, label, f.required ? h('span', { class: 'required', text: ' *', attrs: { title: s.required } }) : null);
  const bounds = f.control === 'number' && f.min !== undefined && f.max !== undefined ? format(f.concept === 'duration' ? s.rangeSeconds : s.range, f.min, f.max) : undefined;
  const own = f.concept ? undefined : (s.optionHints[f.field] ?? (f.description ? format(s.kieDescription, f.description) : undefined));
  const hintText = [own, bounds].filter(Boolean).join(' · ');
  const hint = hintText ? h('span', { id: `${id}-hint`, class: 'hint', text: hintText }) : null;
  const set = (v: OptionValue | undefined) => form && changed({ ...form, request: withValue(form.request, f.key, v) }, f.key);
  let control: HTMLInputElement | HTMLSelectElement;
  let render: () => void;
  if (f.control === 'select') {
    const select = h('select', { id, attrs: { 'aria-describedby': described } });
    if (f.default === undefined) select.append(h('option', { text: f.required ? s.choose : s.modelDefault, attrs: { value: '' } }));
    for (const v of f.values ?? []) {
      const named = s.valueLabels[`${f.concept ?? f.field}=${v.value}`];
      const text = f.concept === 'duration' ? format(s.seconds, v.value) : named ? named : v.means && !String(v.means).includes(String(v.value)) ? format(s.valueMeans, v.value, v.means) : String(v.value);
      select.append(h('option', { text, attrs: { value: String(v.value) } }));
    }
    select.addEventListener('change', () => {
      const hit = (f.values ?? []).find((v) => String(v.value) === select.value);
      set(hit?.value);
    });
    render = () => {
      const v = form ? (valueOf(form.request, f.key) ?? f.default) : undefined;
      select.value = v === undefined ? '' : String(v);
    };
    control = select;
  } else if (f.control === 'toggle') {
    const box = h('input', { id, attrs: { type: 'checkbox', 'aria-describedby': described } });
    box.addEventListener('change', () => set(box.checked));
    render = () => {
      box.checked = (form ? (valueOf(form.request, f.key) ?? f.default) : f.default) === true;
    };
    const el = h('div', { class: 'field toggle', id: `${id}-field` }, h('label', { class: 'checkbox', attrs: { for: id } }, box, h('span', { text: label })), hint, errorSlot(f.key));
    if (f.required) box.setAttribute('aria-required', 'true');
    return { el, bound: { key: f.key, render } };
  } else {
    const input = h('input', { id, attrs: { type: f.control === 'number' ? 'number' : 'text', 'aria-describedby': described } });
    if (f.control === 'number') {
      if (f.min !== undefined) input.min = String(f.min);
      if (f.max !== undefined) input.max = String(f.max);
      input.step = '1';
    }
    input.addEventListener('input', () => {
      const raw = input.value.trim();
      if (f.control !== 'number') return set(raw === '' ? undefined : input.value);
      const n = Number(raw);
      set(raw === '' ? undefined : Number.isFinite(n) ? n : undefined);
    });
    render = () => {
      const v = form ? valueOf(form.request, f.key) : undefined;
      const shown = v === undefined ? (f.control === 'number' && f.default !== undefined ? String(f.default) : '') : String(v);
      if (document.activeElement !== input && input.value !== shown) input.value = shown;
    };
    control = input;
  }
  if (f.required) control.setAttribute('aria-required', 'true');
  const el = h('div', { class: `field ${f.control}`, id: `${id}-field` }, labelEl, control, hint, errorSlot(f.key));
  return { el, bound: { key: f.key, render } };
}

function imageField(f: Extract<FormField, { kind: 'image' }>): { el: HTMLElement; bound: Bound } {
  const role = f.role;
  const labelId = `label-${role}`;
  const pathInput = h('input', { id: `path-${role}`, attrs: { type: 'text', placeholder: s.pathPlaceholder, 'aria-label': format(s.pathLabel, roleLabel(role)) } });
  const addPath = h('button', { class: 'secondary', text: s.addPath, attrs: { type: 'button' } });
  const pick = h('button', { class: 'secondary', attrs: { type: 'button' } }, icon('file-media'), ' ', s.chooseImage);
  const list = h('ul', { class: 'thumbs' });
  const addRow = h('div', { class: 'slot-add' }, pick, h('div', { class: 'path-row' }, pathInput, addPath));
  const dropHint = h('p', { id: `hint-${role}`, class: 'hint', text: s.dropHint });
  const zone = h(
    'div',
    { class: 'drop-zone', id: `slot-${role}`, attrs: { role: 'group', 'aria-labelledby': labelId, 'aria-describedby': `err-${role} hint-${role}` } },
    list,
    dropHint,
    addRow,
  );
  const title = role === 'references' ? format(s.referencesUpTo, roleLabel(role), f.max) : roleLabel(role);
  const el = h(
    'div',
    { class: 'field image-slot', id: `${role}-field` },
    h('span', { id: labelId, class: 'label' }, title, f.required ? h('span', { class: 'required', text: ' *', attrs: { title: s.required } }) : null),
    zone,
    errorSlot(role),
  );
  const submitPath = () => {
    const p = pathInput.value.trim();
    if (p === '') return;
    post({ type: 'pathImage', role, path: p });
    pathInput.value = '';
  };
  pick.addEventListener('click', () => post({ type: 'pickImage', role }));
  addPath.addEventListener('click', submitPath);
  pathInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      submitPath();
    }
  });
  wireDrop(zone, role);
  const render = () => {
    const keys = form ? keysIn(form.request, role) : [];
    const items = keys.map((key) => images.get(key)).filter((v): v is ImageView => !!v);
    list.replaceChildren(...items.map((img) => thumb(img, role)));
    list.hidden = items.length === 0;
    addRow.hidden = items.length >= f.max;
    dropHint.hidden = addRow.hidden;
  };
  return { el, bound: { key: role, render } };
}

function keysIn(request: GenerationRequest, role: ImageRole): string[] {
  const i = request.images ?? {};
  if (role === 'references') return i.references ?? [];
  const one = i[role];
  return one ? [one] : [];
}

function thumb(img: ImageView, role: ImageRole): HTMLElement {
  const remove = h('button', { class: 'icon', attrs: { type: 'button', title: format(s.removeImage, img.name), 'aria-label': format(s.removeImage, img.name) } }, icon('close'));
  remove.addEventListener('click', () => {
    if (!form) return;
    const i = { ...form.request.images };
    if (role === 'references') i.references = (i.references ?? []).filter((k) => k !== img.key);
    else delete i[role];
    imageErrors[role] = undefined;
    changed({ ...form, request: { ...form.request, images: i } }, role);
    (document.getElementById(`path-${role}`) as HTMLElement | null)?.focus();
  });
  return h(
    'li',
    { class: 'thumb' },
    h('img', { attrs: { src: img.src, alt: format(s.imagePreview, img.name) } }),
    h('span', { class: 'image-meta' }, h('span', { class: 'image-name', text: img.name }), h('span', { class: 'hint', text: formatBytes(img.bytes) })),
    remove,
  );
}

function buildFields(spec: ModelSpec): void {
  const fields = formFields(spec);
  const prompt = fields.find((f): f is Extract<FormField, { kind: 'prompt' }> => f.kind === 'prompt');
  promptLabel.replaceChildren(s.prompt, prompt?.optional ? h('span', { class: 'hint', text: ` ${s.optional}` }) : h('span', { class: 'required', text: ' *', attrs: { title: s.required } }));
  if (prompt?.optional) promptInput.removeAttribute('aria-required');
  else promptInput.setAttribute('aria-required', 'true');
  const built = fields.flatMap((f) => (f.kind === 'option' ? [optionField(f)] : f.kind === 'image' ? [imageField(f)] : []));
  const optionEls = built.filter((b) => !['first', 'last', 'references'].includes(b.bound.key));
  const imageEls = built.filter((b) => ['first', 'last', 'references'].includes(b.bound.key));
  optionsBox.replaceChildren(...optionEls.map((b) => b.el));
  imagesBox.replaceChildren(...imageEls.map((b) => b.el));
  optionsBox.hidden = optionEls.length === 0;
  imagesBox.hidden = imageEls.length === 0;
  bound = built.map((b) => b.bound);
  builtFor = JSON.stringify(spec);
}

// ---- rendering ----

function render(): void {
  if (!form) return;
  const entry = currentEntry();
  banner.hidden = keyPresent;
  balanceKeyLink.hidden = keyPresent;
  renderPicker();
  // Rebuilt only when the model or its spec changed, so a catalog update never takes the focus away.
  if (entry && builtFor !== JSON.stringify(entry.spec)) buildFields(entry.spec);

  if (promptInput.value !== form.request.prompt) promptInput.value = form.request.prompt;
  const max = entry?.spec.prompt.max ?? 0;
  promptCounter.textContent = max ? `${number(form.request.prompt.length)} / ${number(max)}` : '';
  promptCounter.classList.toggle('over', max > 0 && form.request.prompt.length > max);
  for (const b of bound) b.render();
  if (document.activeElement !== variantsInput) variantsInput.value = String(form.variants);

  if (entry) {
    const each = priceText(entry, form.request);
    const price = priceFor(entry.spec, form.request, entry.pricingDesc ?? entry.spec.pricingDesc);
    cost.textContent = price.credits !== undefined && form.variants > 1 ? format(s.creditsTimes, credits(price.credits * form.variants), form.variants, credits(price.credits)) : each.text;
    cost.title = each.title;
    cost.setAttribute('aria-label', each.title ? format(s.costWithNote, cost.textContent, each.title) : cost.textContent);
  }
  submitButton.disabled = submitting || mayExistBlock;
  submitButton.replaceChildren(submitting ? s.submitting : form.variants > 1 ? format(s.submitMany, form.variants) : s.submit);
  renderIssues();
}

function issueShown(field: IssueField): boolean {
  return showAllIssues || field === 'model' || touched.has(field);
}

function renderIssues(): void {
  const byField = new Map<string, string[]>();
  for (const issue of issues) {
    if (!issueShown(issue.field)) continue;
    byField.set(issue.field, [...(byField.get(issue.field) ?? []), issue.text]);
  }
  for (const [role, text] of Object.entries(imageErrors)) if (text) byField.set(role, [...(byField.get(role) ?? []), text]);
  const unplaced: string[] = [];
  for (const [field, texts] of byField) if (!document.getElementById(`err-${field}`)) unplaced.push(...texts);
  for (const slot of Array.from(document.querySelectorAll<HTMLElement>('.field-error'))) {
    const field = slot.dataset.field ?? '';
    const texts = field === 'model' ? [...(byField.get('model') ?? []), ...unplaced] : (byField.get(field) ?? []);
    slot.replaceChildren(...texts.map((t) => h('div', {}, icon('error'), ' ', t)));
    slot.hidden = texts.length === 0;
    const control = controlFor(field);
    if (control) {
      if (texts.length) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    }
  }
}

function controlFor(field: string): HTMLElement | null {
  if (field === 'prompt') return promptInput;
  if (field === 'model') return modelSelect;
  if (field === 'first' || field === 'last' || field === 'references') return document.getElementById(`slot-${field}`);
  return document.getElementById(`opt-${field.replace(/[^\w-]/g, '_')}`);
}

function focusFirstIssue(): void {
  const slot = Array.from(document.querySelectorAll<HTMLElement>('.field-error')).find((el) => !el.hidden);
  const field = slot?.dataset.field;
  if (!field) return;
  const control = field === 'first' || field === 'last' || field === 'references' ? document.querySelector<HTMLElement>(`#slot-${field} button, #slot-${field} input`) : controlFor(field);
  control?.focus();
}

function setStatus(text: string, kind: 'info' | 'error' | 'success' = 'info', ...buttons: HTMLElement[]): void {
  status.replaceChildren(kind === 'info' || !text ? '' : icon(kind === 'error' ? 'error' : 'check'), kind === 'info' || !text ? '' : ' ', text);
  status.className = `status ${kind}`;
  status.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  statusActions.replaceChildren(...buttons);
}

// ---- talking to the host ----

function post(message: GenerateWebviewMessage): void {
  if (message.type !== 'formChanged') flushFormChanged();
  vscode.postMessage(message);
}

function flushFormChanged(): void {
  if (dirtyTimer === undefined || !form) return;
  clearTimeout(dirtyTimer);
  dirtyTimer = undefined;
  vscode.postMessage({ type: 'formChanged', form });
}

/** Typing is reported in batches, choices at once; the host answers with the issues of the new values. */
function changed(next: FormState, field?: string, debounce = false): void {
  form = next;
  mayExistBlock = false;
  if (field) touched.add(field);
  render();
  if (dirtyTimer !== undefined) clearTimeout(dirtyTimer);
  dirtyTimer = setTimeout(flushFormChanged, debounce ? 300 : 0);
}

/** Switches models keeping every value that still applies, and says which ones could not be kept. */
function switchModel(id: string): void {
  if (!form || id === form.request.model) return;
  const from = currentEntry()?.spec;
  const to = entryOf(id)?.spec;
  if (!to) return;
  const moved = fitRequest(from, to, form.request);
  dropped = { model: id, names: moved.dropped };
  unavailable = undefined;
  setStatus('');
  changed({ ...form, request: moved.request }, 'model');
}

function submit(): void {
  if (!form || submitting) return;
  submitting = true;
  showAllIssues = true;
  setStatus(s.submitting);
  render();
  post({ type: 'submit', form });
}

window.addEventListener('message', (event: MessageEvent<GenerateHostMessage>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'init':
      models = msg.models;
      catalog = msg.catalog;
      images.clear();
      for (const img of msg.images) images.set(img.key, img);
      keyPresent = msg.keyPresent;
      maxImageBytes = msg.maxImageBytes;
      form = msg.form;
      dropped = msg.dropped ? { model: msg.form.request.model, names: msg.dropped } : undefined;
      replaced = msg.replaced ? { from: msg.replaced, to: msg.form.request.model } : undefined;
      builtFor = undefined;
      app.hidden = false;
      render();
      break;
    case 'catalog':
      models = msg.models;
      catalog = msg.catalog;
      render();
      break;
    case 'keyStatus':
      keyPresent = msg.present;
      render();
      break;
    case 'credits':
      balanceText.textContent = msg.credits === null ? s.balanceUnknown : format(s.balance, number(msg.credits));
      balanceError.textContent = msg.error ?? '';
      balanceError.hidden = !msg.error;
      balanceKeyLink.hidden = keyPresent && !msg.keyRejected;
      refreshBalance.disabled = false;
      break;
    case 'image': {
      imageErrors[msg.role] = msg.error;
      if (msg.image && form) {
        images.set(msg.image.key, msg.image);
        const i = { ...form.request.images };
        if (msg.role === 'references') i.references = [...(i.references ?? []), msg.image.key];
        else i[msg.role] = msg.image.key;
        changed({ ...form, request: { ...form.request, images: i } }, msg.role);
      } else {
        render();
      }
      break;
    }
    case 'issues':
      issues = msg.issues;
      if (msg.forSubmit) {
        submitting = false;
        showAllIssues = true;
        setStatus(issues.length ? s.fixFields : '', issues.length ? 'error' : 'info');
        render();
        focusFirstIssue();
      } else {
        renderIssues();
      }
      break;
    case 'submitting':
      submitting = true;
      render();
      break;
    case 'submitted':
      submitting = false;
      // An empty list answers a double submit the host dropped: the first one's status stays.
      if (msg.taskIds.length > 0) setStatus(msg.taskIds.length > 1 ? format(s.submittedMany, msg.taskIds.length) : format(s.submitted, msg.taskIds[0] ?? ''), 'success');
      render();
      break;
    case 'submitFailed': {
      submitting = false;
      mayExistBlock = msg.retryable === false;
      unavailable = msg.unavailable;
      const buttons = (unavailable?.alternatives ?? []).map((a) => useModelButton(a.id)).filter((b): b is HTMLElement => !!b);
      setStatus(msg.message, 'error', ...buttons);
      render();
      (buttons[0] ?? submitButton).focus();
      break;
    }
  }
});

// ---- user input ----

promptInput.addEventListener('input', () => form && changed({ ...form, request: { ...form.request, prompt: promptInput.value } }, 'prompt', true));
promptInput.addEventListener('blur', flushFormChanged);
modelSelect.addEventListener('change', () => switchModel(modelSelect.value));
variantsInput.addEventListener('input', () => {
  const n = Number(variantsInput.value);
  if (form && Number.isInteger(n) && n >= 1 && n <= MAX_VARIANTS) changed({ ...form, variants: n });
});
variantsInput.addEventListener('blur', () => form && (variantsInput.value = String(form.variants)));
saveButton.addEventListener('click', () => form && post({ type: 'savePromptFile', form }));
banner.querySelector('button')?.addEventListener('click', () => post({ type: 'setApiKey' }));
balanceKeyLink.addEventListener('click', () => post({ type: 'setApiKey' }));
refreshBalance.addEventListener('click', () => {
  refreshBalance.disabled = true;
  balanceText.textContent = s.creditsLoading;
  post({ type: 'refreshCredits' });
});

formEl.addEventListener('submit', (e) => {
  e.preventDefault();
  submit();
});
document.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (isMac ? e.metaKey : e.ctrlKey)) {
    e.preventDefault();
    submit();
  }
});
document.addEventListener('visibilitychange', flushFormChanged);

// ---- dropping an image from the Explorer ----

/** VS Code puts the dragged resources on these types; the first URI is the one used. */
function droppedUri(data: DataTransfer): string | undefined {
  for (const type of ['application/vnd.code.uri-list', 'text/uri-list']) {
    const raw = data.getData(type);
    if (!raw) continue;
    const first = raw
      .split(/\r?\n/)
      .map((line) => line.trim())
      .find((line) => line !== '' && !line.startsWith('#'));
    if (first) return first;
  }
  return undefined;
}

function acceptsDrag(e: DragEvent): boolean {
  const types = Array.from(e.dataTransfer?.types ?? []);
  return types.includes('Files') || types.includes('text/uri-list') || types.includes('application/vnd.code.uri-list');
}

function wireDrop(zone: HTMLElement, role: ImageRole): void {
  zone.addEventListener('dragover', (e) => {
    if (!acceptsDrag(e)) return;
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('dragging');
    const uri = e.dataTransfer ? droppedUri(e.dataTransfer) : undefined;
    if (uri) {
      post({ type: 'dropImage', role, uri });
      return;
    }
    const file = e.dataTransfer?.files[0];
    imageErrors[role] = file && file.size > maxImageBytes ? format(s.imageTooLarge, formatBytes(maxImageBytes)) : s.dropNotFromEditor;
    renderIssues();
  });
}
// A drop that misses a slot must not navigate the webview to the file.
document.addEventListener('dragover', (e) => e.preventDefault());
document.addEventListener('drop', (e) => e.preventDefault());

post({ type: 'ready' });

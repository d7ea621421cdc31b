import { format, formatBytes, h, readStrings, vscodeApi } from '../dom';
import type { FormField, FormState, GenerateHostMessage, GenerateWebviewMessage, ImageView, ModelOption } from '../messages';
import type { GenerateStrings } from '../strings';

const vscode = vscodeApi<GenerateWebviewMessage>();
const s = readStrings<GenerateStrings>();
const isMac = /Mac|iPhone|iPad/.test(navigator.platform);

let models: ModelOption[] = [];
let form: FormState | undefined;
let image: ImageView | null = null;
let keyPresent = true;
let maxImageBytes = 10 * 1024 * 1024;
let submitting = false;
/** Set after a submission that may have reached Kie; cleared by any change to the form. */
let mayExistBlock = false;
let errors: Partial<Record<FormField, string>> = {};
let dirtyTimer: ReturnType<typeof setTimeout> | undefined;

const app = document.getElementById('app') as HTMLElement;

// ---- the page, built once; `render` only updates it ----

const banner = h('div', { class: 'banner', attrs: { role: 'status' } }, h('span', { text: s.noKeyBanner }), h('button', { class: 'secondary', text: s.setApiKey, attrs: { type: 'button' } }));
const creditsText = h('span', { text: s.creditsLoading });
const creditsError = h('span', { class: 'error-text' });
const creditsKeyLink = h('button', { class: 'link', text: s.setApiKey, attrs: { type: 'button' } });
const refreshCredits = h('button', { class: 'icon', text: '⟳', attrs: { type: 'button', title: s.refreshCredits, 'aria-label': s.refreshCredits } });
creditsError.hidden = true;
const credits = h('div', { class: 'credits', attrs: { 'aria-live': 'polite' } }, creditsText, creditsError, creditsKeyLink, refreshCredits);

const promptInput = h('textarea', { id: 'prompt', attrs: { rows: '6', placeholder: s.promptPlaceholder, 'aria-describedby': 'prompt-error prompt-counter', spellcheck: 'true' } });
const promptCounter = h('span', { id: 'prompt-counter', class: 'counter' });
const modelSelect = h('select', { id: 'model', attrs: { 'aria-describedby': 'model-error model-retired' } });
const retiredNote = h('p', { class: 'note' });
const useAlternative = h('button', { class: 'secondary', attrs: { type: 'button' } });
const retiredBox = h('div', { id: 'model-retired', class: 'notice' }, retiredNote, useAlternative);
const ratioInputs = (['landscape', 'portrait'] as const).map((value) =>
  h('input', { id: `ratio-${value}`, attrs: { type: 'radio', name: 'aspectRatio', value } }),
);
const durationSelect = h('select', { id: 'duration', attrs: { 'aria-describedby': 'duration-error' } });
const sizeSelect = h('select', { id: 'size', attrs: { 'aria-describedby': 'size-error' } });
const watermarkInput = h('input', { id: 'watermark', attrs: { type: 'checkbox' } });

const imageLabel = h('span', { id: 'image-label', class: 'label' });
const pickButton = h('button', { class: 'secondary', text: s.chooseImage, attrs: { type: 'button' } });
const imageEmpty = h('div', { class: 'drop-empty' }, h('p', { text: s.dropHint }), pickButton);
const imagePreview = h('img', { attrs: { alt: '' } });
const imageName = h('span', { class: 'image-name' });
const imageSize = h('span', { class: 'image-size' });
const changeButton = h('button', { class: 'secondary', text: s.changeImage, attrs: { type: 'button' } });
const removeButton = h('button', { class: 'secondary', text: s.removeImage, attrs: { type: 'button' } });
const imageFilled = h(
  'div',
  { class: 'drop-filled' },
  imagePreview,
  h('div', { class: 'image-meta' }, imageName, imageSize, h('div', { class: 'buttons' }, changeButton, removeButton)),
);
const dropZone = h('div', { id: 'image-drop', class: 'drop-zone', attrs: { 'aria-labelledby': 'image-label', 'aria-describedby': 'image-error', role: 'group' } }, imageEmpty, imageFilled);

const submitButton = h('button', { id: 'submit', text: s.submit, attrs: { type: 'submit' } });
const shortcut = h('kbd', { text: isMac ? '⌘⏎' : 'Ctrl+Enter' });
const cost = h('span', { class: 'cost' });
const status = h('div', { class: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });

const errorSlots = new Map<FormField, HTMLElement>();
function errorSlot(field: FormField): HTMLElement {
  const el = h('div', { id: `${field}-error`, class: 'field-error' });
  errorSlots.set(field, el);
  return el;
}

function field(id: string, label: string, control: HTMLElement, ...extra: Array<HTMLElement>): HTMLElement {
  return h('div', { class: 'field', id: `${id}-field` }, h('label', { text: label, attrs: { for: control.id } }), control, ...extra);
}

const ratioField = h(
  'fieldset',
  { class: 'field', id: 'aspectRatio-field', attrs: { 'aria-describedby': 'aspectRatio-error' } },
  h('legend', { text: s.aspectRatio }),
  h(
    'div',
    { class: 'radios' },
    ...ratioInputs.map((input) =>
      h('label', { class: 'radio' }, input, h('span', { text: input.value === 'landscape' ? s.landscape : s.portrait })),
    ),
  ),
  errorSlot('aspectRatio'),
);

const formEl = h(
  'form',
  { attrs: { novalidate: '' } },
  field('prompt', s.prompt, promptInput, h('div', { class: 'field-foot' }, errorSlot('prompt'), promptCounter)),
  field('model', s.model, modelSelect, retiredBox, errorSlot('model')),
  h('div', { class: 'row' }, ratioField, field('duration', s.duration, durationSelect, errorSlot('duration')), field('size', s.size, sizeSelect, errorSlot('size'))),
  h('div', { class: 'field', id: 'watermark-field' }, h('label', { class: 'checkbox' }, watermarkInput, h('span', { text: s.removeWatermark }))),
  h('div', { class: 'field', id: 'image-field' }, imageLabel, dropZone, errorSlot('image')),
  h('div', { class: 'actions' }, submitButton, shortcut, cost),
  errorSlot('key'),
  status,
);

app.append(h('header', {}, credits), banner, formEl);
app.hidden = true;

// ---- model rules the form applies as the user picks ----

function currentModel(): ModelOption | undefined {
  return models.find((m) => m.id === form?.model);
}

/** Keeps every option valid for the chosen model, so switching models never leaves a stale value. */
function fitToModel(f: FormState, model: ModelOption | undefined): FormState {
  if (!model) return f;
  return {
    ...f,
    aspectRatio: model.aspectRatios.includes(f.aspectRatio) ? f.aspectRatio : model.aspectRatios[0],
    duration: model.durations.includes(f.duration) ? f.duration : model.durations[0],
    size: model.sizes.length === 0 || model.sizes.includes(f.size) ? f.size : model.sizes[0],
  };
}

/** Same lookup order as the catalog's estimate: `<duration>/<size>`, `<duration>`, `*`. */
function creditHint(model: ModelOption, f: FormState): number | undefined {
  const keys = model.sizes.length > 0 ? [`${f.duration}/${f.size}`, f.duration, '*'] : [f.duration, '*'];
  for (const key of keys) if (model.creditCost[key] !== undefined) return model.creditCost[key];
  return undefined;
}

// ---- rendering ----

function fillSelect(select: HTMLSelectElement, options: Array<{ value: string; label: string }>, value: string): void {
  const same = select.options.length === options.length && options.every((o, i) => select.options[i].value === o.value && select.options[i].text === o.label);
  if (!same) select.replaceChildren(...options.map((o) => h('option', { text: o.label, attrs: { value: o.value } })));
  select.value = value;
}

function render(): void {
  if (!form) return;
  const model = currentModel();
  banner.hidden = keyPresent;
  creditsKeyLink.hidden = keyPresent;

  if (promptInput.value !== form.prompt) promptInput.value = form.prompt;
  const max = model?.maxPromptLength ?? 10000;
  promptCounter.textContent = `${form.prompt.length.toLocaleString()} / ${max.toLocaleString()}`;
  promptCounter.classList.toggle('over', form.prompt.length > max);

  fillSelect(
    modelSelect,
    models.map((m) => ({ value: m.id, label: m.retiredNote ? format(s.retiring, m.label) : m.label })),
    form.model,
  );
  const alternative = model?.alternative ? models.find((m) => m.id === model.alternative) : undefined;
  retiredBox.hidden = !model?.retiredNote;
  retiredNote.textContent = model?.retiredNote ? (alternative ? format(s.retiredWithAlternative, model.retiredNote, alternative.label) : model.retiredNote) : '';
  useAlternative.hidden = !alternative;
  useAlternative.textContent = alternative ? format(s.useAlternative, alternative.label) : '';

  for (const input of ratioInputs) {
    input.checked = input.value === form.aspectRatio;
    input.disabled = !model || !model.aspectRatios.includes(input.value as FormState['aspectRatio']);
  }

  const durations = model?.durations ?? [form.duration];
  const fixed = durations.length === 1;
  fillSelect(
    durationSelect,
    durations.map((d) => ({ value: d, label: format(fixed ? s.fixedDuration : s.seconds, d) })),
    form.duration,
  );
  durationSelect.disabled = fixed;

  const sizes = model?.sizes ?? [];
  setShown('size-field', sizes.length > 0);
  fillSelect(
    sizeSelect,
    sizes.map((v) => ({ value: v, label: v === 'high' ? s.sizeHigh : s.sizeStandard })),
    form.size,
  );

  setShown('watermark-field', !!model?.watermarkOption);
  watermarkInput.checked = form.removeWatermark;

  const imageMode = model?.image ?? 'none';
  setShown('image-field', imageMode !== 'none');
  imageLabel.textContent = imageMode === 'required' ? s.imageRequired : s.imageOptional;
  imageEmpty.hidden = !!image;
  imageFilled.hidden = !image;
  if (image) {
    if (imagePreview.getAttribute('src') !== image.src) imagePreview.src = image.src;
    imagePreview.alt = format(s.imagePreview, image.name);
    imageName.textContent = image.name;
    imageSize.textContent = formatBytes(image.bytes);
  }

  const hint = model ? creditHint(model, form) : undefined;
  cost.textContent = hint === undefined ? s.costUnknown : format(s.costHint, hint.toLocaleString());

  submitButton.disabled = submitting || mayExistBlock;
  submitButton.textContent = submitting ? s.submitting : s.submit;
  renderErrors();
}

function setShown(id: string, shown: boolean): void {
  const el = document.getElementById(id);
  if (el) el.hidden = !shown;
}

const controlOf: Partial<Record<FormField, HTMLElement>> = {
  prompt: promptInput,
  model: modelSelect,
  aspectRatio: ratioField,
  duration: durationSelect,
  size: sizeSelect,
  image: dropZone,
};

function renderErrors(): void {
  for (const [fieldName, slot] of errorSlots) {
    const message = errors[fieldName] ?? '';
    slot.textContent = message;
    slot.hidden = message === '';
    const control = controlOf[fieldName];
    if (control) {
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    }
  }
}

function focusFirstError(): void {
  const order: FormField[] = ['prompt', 'model', 'aspectRatio', 'duration', 'size', 'image'];
  const first = order.find((f) => errors[f]);
  if (!first) return;
  const target = first === 'aspectRatio' ? ratioInputs.find((i) => i.checked) : first === 'image' ? (image ? changeButton : pickButton) : controlOf[first];
  target?.focus();
}

function setStatus(text: string, kind: 'info' | 'error' | 'success' = 'info'): void {
  status.textContent = text;
  status.className = `status ${kind}`;
  status.setAttribute('role', kind === 'error' ? 'alert' : 'status');
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

/** Typing is reported in batches; choices immediately. */
function changed(next: FormState, debounce = false): void {
  form = fitToModel(next, models.find((m) => m.id === next.model));
  mayExistBlock = false;
  for (const key of Object.keys(errors) as FormField[]) if (key !== 'key') delete errors[key];
  render();
  if (dirtyTimer !== undefined) clearTimeout(dirtyTimer);
  dirtyTimer = setTimeout(flushFormChanged, debounce ? 300 : 0);
}

/** The cheap checks the webview can make alone; the host validates everything again. */
function localErrors(f: FormState): Partial<Record<FormField, string>> {
  const found: Partial<Record<FormField, string>> = {};
  const model = currentModel();
  if (f.prompt.trim() === '') found.prompt = s.promptRequired;
  else if (model && f.prompt.length > model.maxPromptLength) found.prompt = format(s.promptTooLong, f.prompt.length.toLocaleString(), model.maxPromptLength.toLocaleString());
  if (model?.image === 'required' && !image) found.image = s.imageMissing;
  return found;
}

function submit(): void {
  if (!form || submitting) return;
  const local = localErrors(form);
  if (Object.keys(local).length > 0) {
    errors = local;
    setStatus(s.fixFields, 'error');
    renderErrors();
    focusFirstError();
    return;
  }
  submitting = true;
  errors = {};
  setStatus(s.submitting);
  render();
  post({ type: 'submit', form });
}

function endSubmit(): void {
  submitting = false;
  render();
}

window.addEventListener('message', (event: MessageEvent<GenerateHostMessage>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'init':
      models = msg.models;
      image = msg.image;
      keyPresent = msg.keyPresent;
      maxImageBytes = msg.maxImageBytes;
      form = fitToModel(msg.form, models.find((m) => m.id === msg.form.model));
      app.hidden = false;
      render();
      break;
    case 'keyStatus':
      keyPresent = msg.present;
      if (msg.present) delete errors.key;
      render();
      break;
    case 'credits':
      creditsText.textContent = msg.credits === null ? s.creditsUnknown : format(s.credits, msg.credits.toLocaleString());
      creditsError.textContent = msg.error ?? '';
      creditsError.hidden = !msg.error;
      creditsKeyLink.hidden = keyPresent && !msg.keyRejected;
      refreshCredits.disabled = false;
      break;
    case 'image': {
      const hadFocus = dropZone.contains(document.activeElement);
      image = msg.image;
      errors.image = msg.error;
      if (!msg.error) delete errors.image;
      render();
      // The button that was clicked may have just been hidden; keep keyboard users in the image area.
      if (hadFocus && !dropZone.contains(document.activeElement)) (image ? changeButton : pickButton).focus();
      break;
    }
    case 'validation':
      errors = msg.errors;
      setStatus(s.fixFields, 'error');
      endSubmit();
      focusFirstError();
      break;
    case 'submitting':
      submitting = true;
      render();
      break;
    case 'submitted':
      setStatus(format(s.submitted, msg.taskId), 'success');
      endSubmit();
      break;
    case 'submitFailed':
      if (msg.field) errors[msg.field] = msg.message;
      mayExistBlock = msg.retryable === false;
      setStatus(msg.message, 'error');
      endSubmit();
      break;
  }
});

// ---- user input ----

promptInput.addEventListener('input', () => form && changed({ ...form, prompt: promptInput.value }, true));
promptInput.addEventListener('blur', flushFormChanged);
modelSelect.addEventListener('change', () => form && changed({ ...form, model: modelSelect.value }));
useAlternative.addEventListener('click', () => {
  const alt = currentModel()?.alternative;
  if (form && alt) {
    changed({ ...form, model: alt });
    modelSelect.focus();
  }
});
for (const input of ratioInputs) {
  input.addEventListener('change', () => form && input.checked && changed({ ...form, aspectRatio: input.value as FormState['aspectRatio'] }));
}
durationSelect.addEventListener('change', () => form && changed({ ...form, duration: durationSelect.value }));
sizeSelect.addEventListener('change', () => form && changed({ ...form, size: sizeSelect.value as FormState['size'] }));
watermarkInput.addEventListener('change', () => form && changed({ ...form, removeWatermark: watermarkInput.checked }));

for (const button of [pickButton, changeButton]) button.addEventListener('click', () => post({ type: 'pickImage' }));
removeButton.addEventListener('click', () => post({ type: 'removeImage' }));
banner.querySelector('button')?.addEventListener('click', () => post({ type: 'setApiKey' }));
creditsKeyLink.addEventListener('click', () => post({ type: 'setApiKey' }));
refreshCredits.addEventListener('click', () => {
  refreshCredits.disabled = true;
  creditsText.textContent = s.creditsLoading;
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

dropZone.addEventListener('dragover', (e) => {
  if (!acceptsDrag(e)) return;
  e.preventDefault();
  if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
  dropZone.classList.add('dragging');
});
dropZone.addEventListener('dragleave', () => dropZone.classList.remove('dragging'));
dropZone.addEventListener('drop', (e) => {
  e.preventDefault();
  dropZone.classList.remove('dragging');
  const uri = e.dataTransfer ? droppedUri(e.dataTransfer) : undefined;
  if (uri) {
    post({ type: 'dropImage', uri });
    return;
  }
  const file = e.dataTransfer?.files[0];
  errors.image = file && file.size > maxImageBytes ? format(s.imageTooLarge, formatBytes(maxImageBytes)) : s.dropNotFromEditor;
  renderErrors();
});
// A drop that misses the zone must not navigate the webview to the file.
document.addEventListener('dragover', (e) => e.preventDefault());
document.addEventListener('drop', (e) => e.preventDefault());

post({ type: 'ready' });

/** Small DOM helpers shared by the webview bundles (browser code: no `vscode`, no Node). */

type Child = Node | string | null | undefined | false;

export interface ElementProps {
  class?: string;
  id?: string;
  text?: string;
  attrs?: Record<string, string>;
}

/** Creates an element; text always goes in as text, never as HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: ElementProps = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.id) el.id = props.id;
  if (props.text !== undefined) el.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) el.setAttribute(name, value);
  for (const child of children) if (child) el.append(child);
  return el;
}

/** Reads the localized strings the host put in the page's `#l10n` JSON block. */
export function readStrings<T>(): T {
  const block = document.getElementById('l10n');
  return JSON.parse(block?.textContent ?? '{}') as T;
}

/** Fills `{0}`, `{1}`… in a localized template. */
export function format(template: string, ...args: Array<string | number>): string {
  return template.replace(/\{(\d+)\}/g, (match, i: string) => (args[Number(i)] === undefined ? match : String(args[Number(i)])));
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

interface VsCodeApi<Out, State> {
  postMessage(message: Out): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<Out, State>(): VsCodeApi<Out, State>;

/** The webview's channel to the host, typed with the page's message set. May be acquired once only. */
export function vscodeApi<Out, State = unknown>(): VsCodeApi<Out, State> {
  return acquireVsCodeApi<Out, State>();
}

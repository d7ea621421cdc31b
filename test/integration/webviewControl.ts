/** A <video> element as the webview's DOM has it. */
export interface VideoState {
  src: string;
  paused: boolean;
  time: number;
  duration: number;
  readyState: number;
  muted: boolean;
  error: string | null;
}

/**
 * The webviews as the user sees them, read and clicked in the browser by the test runner
 * (scripts/lib/webviewControl.mjs) through the same loopback control endpoint as the simulator's.
 * `marker` picks the page: a text it shows (a file name, a prompt, a title).
 */
export class WebviewControl {
  private constructor(private readonly controlUrl: string) {}

  static fromEnvironment(): WebviewControl {
    const control = process.env.SORA_SIM_CONTROL;
    if (!control) throw new Error('SORA_SIM_CONTROL is not set: run the suite through scripts/run-integration.mjs');
    return new WebviewControl(control);
  }

  /** The visible text of every extension webview page containing `marker`. */
  text(marker = ''): Promise<string[]> {
    return this.call('text', marker);
  }

  /** Clicks the `nth` button named exactly `label` in a page containing `marker`; false when there is none (yet). */
  click(marker: string, label: string, nth = 0): Promise<boolean> {
    return this.call('click', marker, label, nth);
  }

  /** The text of each row the workbench shows in a side bar view container (a tree's items: label and description). */
  viewRows(containerId: string): Promise<string[]> {
    return this.call('viewRows', containerId);
  }

  /** Types `value` into the field labelled `label` in a page containing `marker`; false when there is none (yet). */
  fill(marker: string, label: string, value: string | number): Promise<boolean> {
    return this.call('fill', marker, label, value);
  }

  /** Each row of a side bar view container as drawn: its text and its icon's CSS background image. */
  viewRowIcons(containerId: string): Promise<{ text: string; icon: string }[]> {
    return this.call('viewRowIcons', containerId);
  }

  /** Picks `item` in the context menu of the first row containing `rowText` in a side bar view container; false when it is not there (yet). */
  viewRowMenu(containerId: string, rowText: string, item: string): Promise<boolean> {
    return this.call('viewRowMenu', containerId, rowText, item);
  }

  /** Types `value` into the open quick input (code-server's save dialog) and takes it; true once the dialog closed on it, false while none is open or it did not take it. */
  quickInput(value?: string): Promise<boolean> {
    return this.call('quickInput', value);
  }

  videos(marker: string): Promise<VideoState[] | null> {
    return this.call('videos', marker);
  }

  private async call<T>(method: string, ...args: unknown[]): Promise<T> {
    const res = await fetch(this.controlUrl, { method: 'POST', body: JSON.stringify({ method: `ui.${method}`, args }) });
    const body = (await res.json()) as { result?: T; error?: string };
    if (!res.ok) throw new Error(`webview ${method}: ${body.error ?? res.status}`);
    return body.result as T;
  }
}

import * as vscode from 'vscode';
import { KieError } from '../../core/kie/errors';
import type { Notifier } from '../presentation/notify';
import { consentsNeeded } from '../settings/serviceUrl';
import type { ClientSettings } from '../settings/settings';

const APPROVED_KEY = 'sora.approvedServiceOrigins';

/**
 * Asks once per origin before an API key is sent to a service URL that is neither Kie's (or imgbb's)
 * own host nor loopback, and remembers the answer "Allow" across windows (globalState). Declining is
 * not remembered: the next request asks again, and nothing is sent meanwhile.
 */
export class HostConsent {
  /** Questions on screen, so parallel requests share one dialog per origin. */
  private readonly asking = new Map<string, Thenable<boolean>>();

  constructor(
    private readonly memento: vscode.Memento,
    private readonly notifier: Notifier,
  ) {}

  /** Resolves when every URL that will receive a key is allowed; throws a KieError otherwise. */
  async confirm(s: ClientSettings): Promise<void> {
    const urls = [
      { setting: 'apiBaseUrl', url: s.apiBaseUrl },
      { setting: 'uploadBaseUrl', url: s.uploadBaseUrl },
      ...(s.imageHost === 'imgbb' ? [{ setting: 'imgbbBaseUrl', url: s.imgbbBaseUrl }] : []),
    ];
    for (const { setting, origin } of consentsNeeded(urls, new Set(this.approved()))) {
      if (!(await this.ask(setting, origin))) {
        const message = vscode.l10n.t('Your API key was not sent to {0}. To use Kie directly, reset the setting sora.{1} in your user settings.', origin, setting);
        throw new KieError({ kind: 'invalidInput', field: setting, message, detail: message });
      }
    }
  }

  private approved(): string[] {
    const v = this.memento.get<unknown>(APPROVED_KEY);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  }

  private ask(setting: string, origin: string): Thenable<boolean> {
    let pending = this.asking.get(origin);
    if (!pending) {
      const allow = vscode.l10n.t('Send Key to This Host');
      pending = this.notifier
        .confirm(
          vscode.l10n.t('Send your API key to {0}?', origin),
          vscode.l10n.t('The setting sora.{0} points at {1}, which is not a Kie.ai or imgbb address. Every request there carries your API key. Allow it only if you set this address yourself and trust it.', setting, origin),
          allow,
        )
        .then(
          async (answer) => {
            if (answer !== allow) return false;
            await this.memento.update(APPROVED_KEY, [...new Set([...this.approved(), origin])]);
            return true;
          },
          // A dialog that could not be shown is no permission.
          () => false,
        )
        .then(
          (ok) => {
            this.asking.delete(origin);
            return ok;
          },
          (err: unknown) => {
            this.asking.delete(origin);
            throw err;
          },
        );
      this.asking.set(origin, pending);
    }
    return pending;
  }
}

import * as vscode from 'vscode';
import type { KeyStore } from './keyStore';
import type { Notifier } from '../presentation/notify';

/** Set API Key: a password box (or the key as an argument, which commands.ts passes in test runs only). Returns whether a key was saved. */
export async function setApiKey(keys: KeyStore, notifier: Notifier, key?: unknown): Promise<boolean> {
  const t = vscode.l10n.t;
  let value = typeof key === 'string' ? key : undefined;
  if (value === undefined) {
    value = await vscode.window.showInputBox({
      title: t('Kie API Key'),
      prompt: t('Paste your Kie.ai API key (kie.ai → API Key). It is stored in VS Code\'s secret storage.'),
      password: true,
      ignoreFocusOut: true,
      placeHolder: t('API key'),
      validateInput: (v) => (v.trim() ? undefined : t('The API key cannot be empty.')),
    });
    if (value === undefined) return false;
  }
  if (!value.trim()) {
    void notifier.warn(t('The API key cannot be empty.'));
    return false;
  }
  await keys.setKieKey(value);
  void notifier.info(t('Kie API key saved.'));
  return true;
}

/** The imgbb key, needed only when `sora.imageHost` is `imgbb`. */
export async function setImgbbApiKey(keys: KeyStore, notifier: Notifier, key?: unknown): Promise<boolean> {
  const t = vscode.l10n.t;
  const value =
    typeof key === 'string'
      ? key
      : await vscode.window.showInputBox({
          title: t('imgbb API Key'),
          prompt: t('Paste your imgbb API key (api.imgbb.com). It is used only when the setting sora.imageHost is "imgbb".'),
          password: true,
          ignoreFocusOut: true,
          validateInput: (v) => (v.trim() ? undefined : t('The API key cannot be empty.')),
        });
  if (value === undefined) return false;
  if (!value.trim()) {
    void notifier.warn(t('The API key cannot be empty.'));
    return false;
  }
  await keys.setImgbbKey(value);
  void notifier.info(t('imgbb API key saved.'));
  return true;
}

/**
 * Clear API Key: asks first (unless a test run passes `{ confirm: false }`: modal questions are refused
 * there; commands.ts drops the argument outside tests), and says when an environment variable still provides a key.
 */
export async function clearApiKey(keys: KeyStore, notifier: Notifier, options?: unknown): Promise<void> {
  const t = vscode.l10n.t;
  if ((await keys.kieKeySource()) !== 'secretStorage') {
    void notifier.info(
      keys.envProvidesKieKey()
        ? t('No Kie API key is stored. The KIE_API_KEY environment variable provides one; unset it to stop using it.')
        : t('No Kie API key is stored.'),
    );
    return;
  }
  const skipQuestion = typeof options === 'object' && options !== null && (options as { confirm?: unknown }).confirm === false;
  if (!skipQuestion) {
    const clear = t('Clear Key');
    const answer = await notifier.confirm(t('Clear the stored Kie API key?'), t('Running tasks stop polling until a key is set again.'), clear);
    if (answer !== clear) return;
  }
  await keys.clearKieKey();
  void notifier.info(
    keys.envProvidesKieKey()
      ? t('Stored Kie API key cleared. The KIE_API_KEY environment variable still provides a key.')
      : t('Kie API key cleared.'),
  );
}

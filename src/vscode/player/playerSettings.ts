import * as vscode from 'vscode';
import type { PlayerView } from '../../webview/messages';
import { requestSettings } from '../presentation/requestSettings';
import type { VideoOrigin } from './videoOrigin';

/** The rows of the player's "Settings" list: what made the video, then where it is. */
export function playerSettings(origin: VideoOrigin | undefined, file: string | undefined): PlayerView['settings'] {
  const t = vscode.l10n.t;
  const rows: PlayerView['settings'] = [];
  if (origin) {
    rows.push(...requestSettings(origin.request, t));
    if (origin.sourceImage) rows.push({ label: t('Source image'), value: origin.sourceImage });
    rows.push({ label: t('Task ID'), value: origin.taskId });
    if (origin.createdAt !== undefined) rows.push({ label: t('Submitted'), value: new Date(origin.createdAt).toLocaleString(vscode.env.language) });
  }
  if (file) rows.push({ label: t('File'), value: file });
  return rows;
}

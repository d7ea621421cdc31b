import * as vscode from 'vscode';
import type { PlayerView } from '../../webview/messages';
import type { VideoOrigin } from './videoOrigin';

/** The rows of the player's "Settings" list: what made the video, then where it is. */
export function playerSettings(origin: VideoOrigin | undefined, file: string | undefined): PlayerView['settings'] {
  const t = vscode.l10n.t;
  const rows: PlayerView['settings'] = [];
  if (origin) {
    const req = origin.request;
    rows.push({ label: t('Aspect ratio'), value: req.aspectRatio === 'portrait' ? t('Portrait (9:16)') : t('Landscape (16:9)') });
    if (req.duration) rows.push({ label: t('Duration'), value: t('{0} seconds', req.duration) });
    if (req.size) rows.push({ label: t('Size'), value: req.size === 'high' ? t('High (about 1080p)') : t('Standard (about 720p)') });
    if (req.removeWatermark !== undefined) rows.push({ label: t('Remove watermark'), value: req.removeWatermark ? t('Yes') : t('No') });
    const seed = (req as unknown as Record<string, unknown>).seed;
    if (typeof seed === 'number' || (typeof seed === 'string' && seed.length <= 40)) rows.push({ label: t('Seed'), value: String(seed) });
    if (origin.sourceImage) rows.push({ label: t('Source image'), value: origin.sourceImage });
    rows.push({ label: t('Task ID'), value: origin.taskId });
    if (origin.createdAt !== undefined) rows.push({ label: t('Created'), value: new Date(origin.createdAt).toLocaleString(vscode.env.language) });
  }
  if (file) rows.push({ label: t('File'), value: file });
  return rows;
}

import * as path from 'path';
import * as vscode from 'vscode';
import type { AspectRatio } from '../core/types';
import type { FormSettings } from './formDefaults';
import { checkServiceUrl } from './serviceUrl';

/** The only place that reads `sora.*` (and VS Code's proxy); everything else asks this module. */
export interface ClientSettings {
  apiBaseUrl: string;
  uploadBaseUrl: string;
  imgbbBaseUrl: string;
  imageHost: 'kie' | 'imgbb';
  proxy?: string;
}

const URL_SETTINGS = ['apiBaseUrl', 'uploadBaseUrl', 'imgbbBaseUrl'] as const;
type UrlSetting = (typeof URL_SETTINGS)[number];

const DEFAULT_URLS: Record<UrlSetting, string> = {
  apiBaseUrl: 'https://api.kie.ai',
  uploadBaseUrl: 'https://kieai.redpandaai.co',
  imgbbBaseUrl: 'https://api.imgbb.com',
};

export class Settings {
  /** Rejected values already warned about, so a bad setting is reported once, not on every request. */
  private readonly warned = new Set<string>();

  constructor(
    private readonly globalStorageUri: vscode.Uri,
    private readonly warn: (text: string) => void,
  ) {}

  private get config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('sora');
  }

  private url(key: UrlSetting): string {
    const value = this.config.get<string>(key, DEFAULT_URLS[key]);
    const check = checkServiceUrl(value);
    if (check.ok) return check.url;
    const id = `${key}=${value}`;
    if (!this.warned.has(id)) {
      this.warned.add(id);
      this.warn(
        check.reason === 'insecure'
          ? vscode.l10n.t('The setting sora.{0} uses plain http to a remote host, which would send your API key unencrypted. Using {1} instead.', key, DEFAULT_URLS[key])
          : vscode.l10n.t('The setting sora.{0} is not a valid URL. Using {1} instead.', key, DEFAULT_URLS[key]),
      );
    }
    return DEFAULT_URLS[key];
  }

  client(): ClientSettings {
    const proxy = vscode.workspace.getConfiguration('http').get<string>('proxy', '').trim();
    return {
      apiBaseUrl: this.url('apiBaseUrl'),
      uploadBaseUrl: this.url('uploadBaseUrl'),
      imgbbBaseUrl: this.url('imgbbBaseUrl'),
      imageHost: this.config.get<string>('imageHost') === 'imgbb' ? 'imgbb' : 'kie',
      proxy: proxy || undefined,
    };
  }

  form(): FormSettings {
    const c = this.config;
    return {
      defaultModel: c.get<string>('defaultModel', 'veo3_fast'),
      aspectRatio: c.get<string>('aspectRatio') === 'portrait' ? 'portrait' : ('landscape' satisfies AspectRatio),
      duration: c.get<string>('duration', '10'),
      removeWatermark: c.get<boolean>('removeWatermark', true),
    };
  }

  /** Absolute folder for new videos: relative to the first workspace folder, or global storage without one. */
  outputDir(): string {
    const folder = this.config.get<string>('outputFolder', 'videos').trim() || 'videos';
    if (path.isAbsolute(folder)) return folder;
    const root = vscode.workspace.workspaceFolders?.[0];
    if (root && root.uri.scheme === 'file') return path.join(root.uri.fsPath, folder);
    return path.join(this.globalStorageUri.fsPath, 'videos');
  }

  /** `sora.outputFolder` as written (prompt files resolve it against their own workspace folder). */
  outputFolder(): string {
    return this.config.get<string>('outputFolder', 'videos').trim() || 'videos';
  }

  /** `sora.batchBudgetCredits`: the most a prompt-file batch may spend by its estimate; 0 = no cap. */
  batchBudgetCredits(): number {
    const n = Number(this.config.get<number>('batchBudgetCredits', 0));
    return Number.isFinite(n) && n > 0 ? n : 0;
  }

  /** True when a change affects how the Kie client is built. */
  static affectsClient(e: vscode.ConfigurationChangeEvent): boolean {
    return e.affectsConfiguration('http.proxy') || ['apiBaseUrl', 'uploadBaseUrl', 'imgbbBaseUrl', 'imageHost'].some((k) => e.affectsConfiguration(`sora.${k}`));
  }
}

import * as path from 'path';
import * as vscode from 'vscode';
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

  /**
   * What a new form starts from. Aspect ratio and duration are preferences for a model used for the
   * first time (the form remembers the last choices per model); Sora-era values still read.
   */
  form(): FormSettings {
    const c = this.config;
    const duration = Number(c.get<string | number>('duration'));
    const aspect = c.get<string>('aspectRatio');
    return {
      defaultModel: c.get<string>('defaultModel', 'veo3_fast').trim() || 'veo3_fast',
      ...(aspect ? { aspectRatio: aspect } : {}),
      ...(Number.isFinite(duration) && duration > 0 ? { duration } : {}),
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

  /** True when a change affects how the Kie client is built. */
  static affectsClient(e: vscode.ConfigurationChangeEvent): boolean {
    return e.affectsConfiguration('http.proxy') || ['apiBaseUrl', 'uploadBaseUrl', 'imgbbBaseUrl', 'imageHost'].some((k) => e.affectsConfiguration(`sora.${k}`));
  }
}

import { realpathSync } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FormSettings } from '../generate/formDefaults';
import { resolveOutputFolder } from './outputFolder';
import { checkServiceUrl, userLevelValue } from './serviceUrl';

/** The only place that reads `sora.*` (and VS Code's proxy); everything else asks this module. */
export interface ClientSettings {
  apiBaseUrl: string;
  uploadBaseUrl: string;
  imgbbBaseUrl: string;
  imageHost: 'kie' | 'imgbb';
  proxy?: string;
  /** `sora.maxDownloadMB` in bytes: a larger result is not saved. */
  maxDownloadBytes: number;
}

export const DEFAULT_MAX_DOWNLOAD_MB = 4096;

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

  /** User settings only (see userLevelValue): the manifest declares these application-scoped as well. */
  private url(key: UrlSetting): string {
    const value = userLevelValue(this.config.inspect<string>(key), DEFAULT_URLS[key]);
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
      maxDownloadBytes: this.maxDownloadMB() * 1024 * 1024,
    };
  }

  private maxDownloadMB(): number {
    const mb = userLevelValue(this.config.inspect<number>('maxDownloadMB'), DEFAULT_MAX_DOWNLOAD_MB);
    return typeof mb === 'number' && Number.isFinite(mb) && mb > 0 ? mb : DEFAULT_MAX_DOWNLOAD_MB;
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
    const root = vscode.workspace.workspaceFolders?.[0];
    const out = resolveOutputFolder(
      this.config.inspect<string>('outputFolder'),
      root && root.uri.scheme === 'file' ? root.uri.fsPath : undefined,
      this.globalStorageUri.fsPath,
      realpathOfFuture,
    );
    const id = `outputFolder=${out.ignoredWorkspaceValue}`;
    if (out.ignoredWorkspaceValue !== undefined && !this.warned.has(id)) {
      this.warned.add(id);
      this.warn(
        vscode.l10n.t(
          'The workspace setting sora.outputFolder ({0}) points outside the workspace, so videos are saved in {1} instead. To use a folder outside the workspace, set sora.outputFolder in your user settings.',
          out.ignoredWorkspaceValue,
          out.dir,
        ),
      );
    }
    return out.dir;
  }

  /**
   * `sora.ffmpegPath`: machine-scoped in the manifest, and only the user's own value is read here, so a
   * workspace's settings can never choose a program for the extension to run.
   */
  ffmpegPath(): string | undefined {
    return this.config.inspect<string>('ffmpegPath')?.globalValue?.trim() || undefined;
  }

  /** Where audible previews are made: the extension's own cache, never beside the user's videos. */
  previewCacheDir(): string {
    return path.join(this.globalStorageUri.fsPath, 'cache', 'audible-preview');
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
    return e.affectsConfiguration('http.proxy') || ['apiBaseUrl', 'uploadBaseUrl', 'imgbbBaseUrl', 'imageHost', 'maxDownloadMB'].some((k) => e.affectsConfiguration(`sora.${k}`));
  }
}

/** The real path of `p` once it exists: links in its existing part resolved, the missing rest appended. */
function realpathOfFuture(p: string): string {
  const missing: string[] = [];
  let existing = p;
  for (;;) {
    try {
      return path.join(realpathSync(existing), ...missing.reverse());
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return p;
      missing.push(path.basename(existing));
      existing = parent;
    }
  }
}

/**
 * Which base URLs the extension will send the API key to: https anywhere, plain http only to this
 * machine (the simulator and local test servers). Anything else would put the key on the wire in clear.
 */
export type ServiceUrlCheck = { ok: true; url: string } | { ok: false; reason: 'invalid' | 'insecure' };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase()) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Returns the URL without a trailing slash, so callers can append paths. */
export function checkServiceUrl(value: string): ServiceUrlCheck {
  let parsed: URL;
  try {
    parsed = new URL(value.trim());
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (parsed.username || parsed.password || parsed.search || parsed.hash) return { ok: false, reason: 'invalid' };
  if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) return { ok: false, reason: 'insecure' };
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return { ok: false, reason: 'invalid' };
  return { ok: true, url: parsed.href.replace(/\/+$/, '') };
}

/** The parts of `WorkspaceConfiguration.inspect()` the settings read (kept here so they can be tested without VS Code). */
export interface SettingLevels<T> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

/**
 * The user's own value of a setting. Workspace and folder values are ignored: a cloned repository
 * writes those, and a service URL taken from it would receive the API key.
 */
export function userLevelValue<T>(levels: SettingLevels<T> | undefined, fallback: T): T {
  return levels?.globalValue ?? levels?.defaultValue ?? fallback;
}

/** Kie's and imgbb's own hosts: the key goes there without asking. */
export const DEFAULT_SERVICE_HOSTS: readonly string[] = ['api.kie.ai', 'kieai.redpandaai.co', 'api.imgbb.com'];

/**
 * The origin a key would be sent to that the user has to agree to first, or undefined for the
 * default hosts (over https, on their standard port) and loopback (the simulator).
 */
export function originNeedingConsent(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (isLoopbackHost(u.hostname)) return undefined;
  if (u.protocol === 'https:' && u.port === '' && DEFAULT_SERVICE_HOSTS.includes(u.hostname.toLowerCase())) return undefined;
  return u.origin;
}

/** Each origin (once) among `urls` that needs consent and is not in `approved`, with the first setting naming it. */
export function consentsNeeded(urls: ReadonlyArray<{ setting: string; url: string }>, approved: ReadonlySet<string>): Array<{ setting: string; origin: string }> {
  const needed: Array<{ setting: string; origin: string }> = [];
  for (const { setting, url } of urls) {
    const origin = originNeedingConsent(url);
    if (origin && !approved.has(origin) && !needed.some((n) => n.origin === origin)) needed.push({ setting, origin });
  }
  return needed;
}

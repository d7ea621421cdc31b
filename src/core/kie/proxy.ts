import { Agent, ProxyAgent, type Dispatcher } from 'undici';

export interface ProxySettings {
  /** Explicit proxy URL (VS Code's `http.proxy`); wins over the environment and ignores NO_PROXY. */
  proxy?: string;
  /** Defaults to process.env; injectable for tests. */
  env?: Record<string, string | undefined>;
}

function envValue(env: Record<string, string | undefined>, name: string): string | undefined {
  const v = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : '80';
}

function bareHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/**
 * NO_PROXY as curl reads it: comma or space separated entries; `*` matches everything; an entry
 * matches the host itself and its subdomains (a leading `.` or `*.` is optional); `host:port`
 * restricts the match to that port.
 */
export function matchesNoProxy(target: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = bareHost(target.hostname);
  const port = target.port || defaultPort(target.protocol);
  for (const raw of noProxy.split(/[\s,]+/)) {
    let entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    let entryPort: string | undefined;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracketed) {
      entry = bracketed[1];
      entryPort = bracketed[2];
    } else {
      const withPort = /^([^:]+):(\d+)$/.exec(entry);
      if (withPort) {
        entry = withPort[1];
        entryPort = withPort[2];
      }
    }
    if (entryPort !== undefined && entryPort !== port) continue;
    entry = entry.replace(/^\*?\./, '');
    if (host === entry || host.endsWith(`.${entry}`)) return true;
  }
  return false;
}

/** Which proxy URL (if any) a request to `target` goes through. */
export function proxyFor(target: URL, settings: ProxySettings): string | undefined {
  if (settings.proxy && settings.proxy.trim() !== '') return settings.proxy.trim();
  const env = settings.env ?? process.env;
  const proxy = target.protocol === 'https:' ? (envValue(env, 'https_proxy') ?? envValue(env, 'http_proxy')) : envValue(env, 'http_proxy');
  if (!proxy) return undefined;
  return matchesNoProxy(target, envValue(env, 'no_proxy')) ? undefined : proxy;
}

function normaliseProxyUrl(proxy: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

/**
 * Hands out one dispatcher per proxy (or one direct agent), so connections are pooled and can all be
 * closed together. Plain-http targets are forwarded without a CONNECT tunnel, as HTTP proxies expect;
 * https targets are tunnelled.
 */
export class Dispatchers {
  private readonly direct = new Agent();
  private readonly proxied = new Map<string, ProxyAgent>();

  constructor(private readonly settings: ProxySettings) {}

  for(target: URL): Dispatcher {
    const proxy = proxyFor(target, this.settings);
    if (!proxy) return this.direct;
    const uri = normaliseProxyUrl(proxy);
    let agent = this.proxied.get(uri);
    if (!agent) {
      agent = new ProxyAgent({ uri, proxyTunnel: false });
      this.proxied.set(uri, agent);
    }
    return agent;
  }

  async close(): Promise<void> {
    await Promise.all([this.direct.close(), ...[...this.proxied.values()].map((a) => a.close())]);
  }
}

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

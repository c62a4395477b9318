import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isLocalhostName, refusedRange } from './webhook-address';

/** Every address a name resolves to (what a connection may pick from). */
export type ResolveAll = (hostname: string) => Promise<string[]>;

export const resolveAll: ResolveAll = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * Why a webhook URL is refused at registration, or null when it is acceptable: only http(s), no credentials in it, and
 * a host that is, or resolves only to, public addresses (loopback too when `allowLoopback`). A name that does not
 * resolve now is accepted: every delivery checks the addresses it connects to anyway (see `guardedLookup`).
 */
export async function webhookUrlProblem(url: string, allowLoopback: boolean, resolve: ResolveAll = resolveAll): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be an http:// or https:// URL';
  if (parsed.username || parsed.password) return 'must not contain credentials';
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) {
    const range = refusedRange(host, allowLoopback);
    return range ? `must not be a ${range} address` : null;
  }
  if (isLocalhostName(host)) return allowLoopback ? null : 'must not point to this machine (localhost)';
  for (const address of await resolve(host).catch(() => [])) {
    const range = refusedRange(address, allowLoopback);
    // The name's owner knows its addresses; the answer names the kind of range only.
    if (range) return `must not resolve to a ${range} address`;
  }
  return null;
}

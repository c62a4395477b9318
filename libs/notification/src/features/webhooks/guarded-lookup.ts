import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { isLocalhostName, refusedRange } from './webhook-address';

/** A webhook's host is, or resolved to, an address it may not reach. */
export class AddressNotAllowed extends Error {
  readonly code = 'EADDRNOTALLOWED';
  constructor(readonly range: string) {
    super(`The webhook's address is not allowed (${range})`);
    this.name = 'AddressNotAllowed';
  }
}

/**
 * A `lookup` for sockets that resolves the name and refuses it unless every address is public (loopback too when
 * `allowLoopback`). The socket connects only to an address this returned, so the check holds for the very connection,
 * on every delivery: a name that resolved to a public address at registration and to a private one now (DNS
 * rebinding) is refused.
 */
export function guardedLookup(allowLoopback: boolean): LookupFunction {
  return (hostname, options, callback) => {
    if (isLocalhostName(hostname) && !allowLoopback) return callback(new AddressNotAllowed('loopback'), '', 0);
    dnsLookup(hostname, { family: options.family, hints: options.hints, all: true, verbatim: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.map((entry) => refusedRange(entry.address, allowLoopback)).find((range) => range !== null);
      if (refused) return callback(new AddressNotAllowed(refused), '', 0);
      const [first] = addresses;
      if (options.all) return callback(null, addresses);
      if (!first) return callback(Object.assign(new Error(`No address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

#!/usr/bin/env node
// Bitcoin Core's share/rpcauth/rpcauth.py in Node: prints the `-rpcauth` value for a user and password, so that
// bitcoind stores only a salted HMAC-SHA256 of the password. Usage: node deploy/bitcoind/rpcauth.mjs <user> [password]
// (a password is generated and printed when none is given). The output is in .env syntax for docker compose, single-
// quoted because the value contains `$`.
import { createHmac, randomBytes } from 'node:crypto';

/** `<user>:<salt>$<hmac>` as rpcauth.py: the salt's hex text is the HMAC key, the password the message. */
export function rpcauth(user, password, salt = randomBytes(16).toString('hex')) {
  return `${user}:${salt}$${createHmac('sha256', salt).update(password).digest('hex')}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [user, given] = process.argv.slice(2);
  if (!user) {
    console.error('usage: node deploy/bitcoind/rpcauth.mjs <user> [password]');
    process.exit(2);
  }
  const password = given ?? randomBytes(32).toString('base64url');
  console.log(`BITCOIN_RPC_AUTH='${rpcauth(user, password)}'`);
  if (!given) console.log(`BITCOIN_RPC_PASSWORD='${password}'`);
}

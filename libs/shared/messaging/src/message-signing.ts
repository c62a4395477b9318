import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Messages between processes that cannot read each other's database (bitro-api ↔ bitcoin-gateway) are signed:
 * `v1=<hex HMAC-SHA256(secret, "<queue>\n<body>")>` over the exact JSON text carried, so nobody with access to Redis
 * (or to a queue dashboard) can forge one. During a rotation a process holds several secrets: it signs with each
 * (`v1=…,v1=…`) and accepts a message one of whose signatures verifies under one of its secrets, so the two processes
 * can switch in either order.
 */
export interface SignedMessage {
  /** The message as JSON text, exactly as signed. */
  body: string;
  signature: string;
}

const SIGNATURE = /^v1=[0-9a-f]{64}(,v1=[0-9a-f]{64}){0,7}$/;

function mac(secret: string, queue: string, body: string): Buffer {
  return createHmac('sha256', secret).update(`${queue}\n${body}`).digest();
}

export function signMessage(secrets: readonly string[], queue: string, message: unknown): SignedMessage {
  if (secrets.length === 0) throw new Error(`No secret to sign messages for ${queue} with.`);
  const body = JSON.stringify(message);
  return { body, signature: secrets.map((secret) => `v1=${mac(secret, queue, body).toString('hex')}`).join(',') };
}

export class UnverifiedMessageError extends Error {
  override name = 'UnverifiedMessageError';
}

/** The message's parsed body when its signature verifies under one of `secrets`; throws otherwise. */
export function verifyMessage(secrets: readonly string[], queue: string, data: unknown): unknown {
  const { body, signature } = (data ?? {}) as Partial<SignedMessage>;
  if (typeof body !== 'string' || typeof signature !== 'string') throw new UnverifiedMessageError(`unsigned message on ${queue}`);
  if (!SIGNATURE.test(signature)) throw new UnverifiedMessageError(`malformed signature on ${queue}`);
  const given = signature.split(',').map((part) => Buffer.from(part.slice(3), 'hex'));
  const macs = secrets.map((secret) => mac(secret, queue, body));
  if (!given.some((candidate) => macs.some((expected) => timingSafeEqual(expected, candidate)))) {
    throw new UnverifiedMessageError(`signature on ${queue} does not verify`);
  }
  return JSON.parse(body) as unknown;
}

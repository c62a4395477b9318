import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';

const ISSUER = 'bitro';
const AUDIENCE = 'bitro-api';

export const accessClaimsSchema = z.object({
  sub: z.string(),
  role: z.enum(['user', 'admin']),
  /** The refresh-token family (session) this access token was issued in. */
  sid: z.string(),
});
export type AccessClaims = z.infer<typeof accessClaimsSchema>;

// jsonwebtoken accepts a token without `exp` as one that never expires: such a token is refused here.
const verifiedPayloadSchema = accessClaimsSchema.extend({ exp: z.number() });

// Tokens already verified, until they expire: a client sends the same token with every request of its lifetime. Keyed by
// the whole token, signature included, so only a byte-identical token is answered from here (ADR 37).
const VERIFIED_TOKENS_KEPT = 10_000;

export class InvalidAccessTokenError extends Error {
  override name = 'InvalidAccessTokenError';
}

/** Signs and verifies short-lived HS256 access tokens. */
export class AccessTokens {
  // A KeyObject built once: given a string, jsonwebtoken first tries to parse it as a PEM key on every call.
  private readonly key: KeyObject;
  private readonly verified = new LRUCache<string, AccessClaims>({ max: VERIFIED_TOKENS_KEPT });

  constructor(
    secret: string,
    readonly ttlSeconds: number,
  ) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  sign(claims: AccessClaims): string {
    return jwt.sign(claims, this.key, { algorithm: 'HS256', expiresIn: this.ttlSeconds, issuer: ISSUER, audience: AUDIENCE });
  }

  verify(token: string): AccessClaims {
    const known = this.verified.get(token);
    if (known) return known;
    try {
      const payload = jwt.verify(token, this.key, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
      const { sub, role, sid, exp } = verifiedPayloadSchema.parse(payload);
      const claims = Object.freeze({ sub, role, sid });
      // jsonwebtoken refuses a token from its `exp` second on; kept until then.
      const ttl = exp * 1000 - Date.now();
      if (ttl > 0) this.verified.set(token, claims, { ttl });
      return claims;
    } catch (error) {
      throw new InvalidAccessTokenError(error instanceof jwt.TokenExpiredError ? 'access token expired' : 'access token invalid');
    }
  }
}

import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
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

export class InvalidAccessTokenError extends Error {
  override name = 'InvalidAccessTokenError';
}

/** Signs and verifies short-lived HS256 access tokens. */
export class AccessTokens {
  // A KeyObject built once: given a string, jsonwebtoken first tries to parse it as a PEM key on every call.
  private readonly key: KeyObject;

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
    try {
      const payload = jwt.verify(token, this.key, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
      const { sub, role, sid } = verifiedPayloadSchema.parse(payload);
      return { sub, role, sid };
    } catch (error) {
      throw new InvalidAccessTokenError(error instanceof jwt.TokenExpiredError ? 'access token expired' : 'access token invalid');
    }
  }
}

import { Global, Module } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { ROUTE_ACCESS } from '@bitro/http';
import { AccessTokens } from './access-token';
import { AccessPolicy } from './access-policy';
import { SessionRevocations } from './session-revocations';

/** Access-token verification for every route, by the route contract's `access` (ROUTE_ACCESS), and ended sessions (needs DbModule). */
@Global()
@Module({
  providers: [
    { provide: AccessTokens, inject: [BITRO_ENV], useFactory: (env: BitroEnv) => new AccessTokens(env.JWT_SECRET, env.ACCESS_TOKEN_TTL_SECONDS) },
    SessionRevocations,
    { provide: ROUTE_ACCESS, useClass: AccessPolicy },
  ],
  exports: [AccessTokens, SessionRevocations, ROUTE_ACCESS],
})
export class AuthModule {}

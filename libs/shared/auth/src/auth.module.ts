import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { AccessTokens } from './access-token';
import { AccessGuard } from './access.guard';
import { SessionRevocations } from './session-revocations';

/** Access-token verification for every route, by the route contract's `access`, and ended sessions (needs DbModule). */
@Global()
@Module({
  providers: [
    { provide: AccessTokens, inject: [BITRO_ENV], useFactory: (env: BitroEnv) => new AccessTokens(env.JWT_SECRET, env.ACCESS_TOKEN_TTL_SECONDS) },
    SessionRevocations,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AccessTokens, SessionRevocations],
})
export class AuthModule {}

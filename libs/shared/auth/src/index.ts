export { AccessTokens, InvalidAccessTokenError, type AccessClaims } from './access-token';
export { AccessGuard, type AuthenticatedRequest } from './access.guard';
export { Principal } from './principal.decorator';
export { AuthModule } from './auth.module';

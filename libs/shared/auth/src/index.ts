export { AccessTokens, InvalidAccessTokenError, type AccessClaims } from './access-token';
export { AccessPolicy, assertAdmin, type AuthenticatedRequest } from './access-policy';
export { ADMIN_STANDING, type AdminStanding } from './admin-standing';
export { Principal } from './principal.decorator';
export { AuthModule } from './auth.module';
export { SessionRevocations } from './session-revocations';
export { type SessionRecord } from './session-record';
export { emailNotVerified, secondFactorProblem } from './user-problems';

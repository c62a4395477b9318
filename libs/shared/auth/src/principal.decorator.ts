import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AccessClaims } from './access-token';
import type { AuthenticatedRequest } from './access-policy';

/** The verified claims of the caller's access token (only on routes that are not public). */
export const Principal = createParamDecorator((_: unknown, context: ExecutionContext): AccessClaims => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('Principal used on a public route');
  return principal;
});

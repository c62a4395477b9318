import { ProblemException } from '@bitro/http';

/** 403 `email-not-verified`: money may not move until the user has verified the e-mail address (service-api's EmailNotVerifiedError). */
export const emailNotVerified = (): ProblemException =>
  new ProblemException(403, 'email-not-verified', 'Verify your e-mail address first (POST /v1/me/email-verification with the code we sent; /resend for a new one).');

/**
 * A second-factor code missing (`two-factor-required`) or wrong, stale or used (`invalid-two-factor-code`), for the
 * code sent in `where` (a body field or header, e.g. `/totp` in the body).
 */
export function secondFactorProblem(reason: 'required' | 'invalid', where: { in: 'body' | 'header'; pointer: string }, status: 401 | 403 = 403): ProblemException {
  return reason === 'required'
    ? new ProblemException(status, 'two-factor-required', 'This account has two-factor authentication: send a current code from the authenticator app.', {
        errors: [{ ...where, message: 'is required (a 6-digit TOTP code or a recovery code)' }],
      })
    : new ProblemException(status, 'invalid-two-factor-code', 'The two-factor code is wrong, expired or already used; wait for the next one.', {
        errors: [{ ...where, message: 'is wrong, expired or already used' }],
      });
}

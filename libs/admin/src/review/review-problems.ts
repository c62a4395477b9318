import { accountNotActive, ProblemException } from '@bitro/http';
import { OwnRequestReviewError, UserNotActiveError } from '@bitro/service-api';

/**
 * The problems an approval shares between withdrawals and flagged redemptions (`what`: "withdrawal", "redemption"),
 * or null for any other error.
 */
export function reviewProblem(error: unknown, what: string): ProblemException | null {
  if (error instanceof OwnRequestReviewError) {
    return new ProblemException(409, 'own-request', `This ${what} is your own request: another admin must decide it.`);
  }
  if (error instanceof UserNotActiveError) {
    return accountNotActive(error.reason, { status: 409, detail: `The ${what}'s user is ${error.reason === 'frozen' ? 'frozen' : 'gone'}: it cannot be approved, only rejected.` });
  }
  return null;
}

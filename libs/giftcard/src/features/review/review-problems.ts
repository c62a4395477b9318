import { accountNotActive, ProblemException } from '@bitro/http';
import { OwnRequestReviewError, UserNotActiveError } from '@bitro/service-api';
import { RedemptionNotFlaggedError, RedemptionNotFoundError } from './redemption-review.errors';

/** The problem a review decision's error answers, or the error itself when it is none of them. */
export function reviewProblem(error: unknown): unknown {
  if (error instanceof RedemptionNotFoundError) return new ProblemException(404, 'redemption-not-found', `No redemption has the id ${error.redemptionId}.`);
  if (error instanceof RedemptionNotFlaggedError) return new ProblemException(409, 'redemption-not-flagged', `${error.message}; only flagged redemptions are reviewed.`);
  if (error instanceof OwnRequestReviewError) {
    return new ProblemException(409, 'own-request', 'This redemption is your own request: another admin must decide it.');
  }
  if (error instanceof UserNotActiveError) {
    return accountNotActive(error.reason, { status: 409, detail: `The redemption's user is ${error.reason === 'frozen' ? 'frozen' : 'gone'}: it cannot be approved, only rejected.` });
  }
  return error;
}

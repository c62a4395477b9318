import { ProblemException } from './problem';

/**
 * `account-not-active`: the user an action is for is frozen or does not exist (service-api's UserNotActiveError).
 * 403 with the user's own wording by default; an admin action on that user's behalf passes 409 and its own detail.
 */
export function accountNotActive(reason: 'not-found' | 'frozen', options: { status?: 403 | 409; detail?: string } = {}): ProblemException {
  const detail = options.detail ?? (reason === 'frozen' ? 'This account is frozen; contact support.' : 'This account does not exist.');
  return new ProblemException(options.status ?? 403, 'account-not-active', detail);
}

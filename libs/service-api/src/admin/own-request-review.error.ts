/** Four eyes: an admin may not approve their own withdrawal or flagged redemption; another admin decides it. */
export class OwnRequestReviewError extends Error {
  override name = 'OwnRequestReviewError';

  constructor(readonly subject: string) {
    super(`${subject} is the reviewing admin's own request`);
  }
}

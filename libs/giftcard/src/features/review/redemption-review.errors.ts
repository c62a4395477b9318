export class RedemptionNotFoundError extends Error {
  override name = 'RedemptionNotFoundError';

  constructor(readonly redemptionId: string) {
    super(`No redemption has the id ${redemptionId}`);
  }
}

/** The redemption is not (or no longer) waiting for review. */
export class RedemptionNotFlaggedError extends Error {
  override name = 'RedemptionNotFlaggedError';

  constructor(
    readonly redemptionId: string,
    readonly state: string,
  ) {
    super(`Redemption ${redemptionId} is ${state}, not flagged for review`);
  }
}

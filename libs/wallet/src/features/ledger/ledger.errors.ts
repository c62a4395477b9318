/** Input the wallet can never accept (not a user id, not a positive amount, not a cursor, ...). */
export class WalletInputError extends RangeError {
  override name = 'WalletInputError';
}

export class InsufficientFundsError extends Error {
  constructor(
    readonly userId: string,
    readonly requestedSats: bigint,
  ) {
    super(`Insufficient funds for user ${userId}: ${requestedSats} sats requested`);
    this.name = 'InsufficientFundsError';
  }
}

/** A reference posted again with other values than its first posting. */
export class WalletReferenceConflictError extends Error {
  constructor(readonly reference: string) {
    super(`Reference ${reference} was already posted with other values`);
    this.name = 'WalletReferenceConflictError';
  }
}

/** A release or settle named a hold that does not exist for that user. */
export class HoldNotFoundError extends Error {
  override name = 'HoldNotFoundError';

  constructor(
    readonly userId: string,
    readonly holdReference: string,
  ) {
    super(`No hold ${holdReference} for user ${userId}`);
  }
}

/** A release or settle named a hold that earlier releases or settles have already used up. */
export class HoldClosedError extends Error {
  override name = 'HoldClosedError';

  constructor(
    readonly holdReference: string,
    readonly closedBy: string | null,
  ) {
    super(`Hold ${holdReference} is already closed${closedBy ? ` by ${closedBy}` : ''}`);
  }
}

/** A release or settle asked for more than the hold still holds. */
export class HoldExceededError extends Error {
  override name = 'HoldExceededError';

  constructor(
    readonly holdReference: string,
    readonly remainingSats: bigint,
    readonly requestedSats: bigint,
  ) {
    super(`Hold ${holdReference} holds ${remainingSats} sats, not ${requestedSats}`);
  }
}

import type { WithdrawalStatus } from './withdrawals.contracts';

export class WithdrawalNotFoundError extends Error {
  override name = 'WithdrawalNotFoundError';

  constructor(readonly withdrawalId: string) {
    super(`No withdrawal ${withdrawalId}`);
  }
}

export class WithdrawalNotAwaitingApprovalError extends Error {
  override name = 'WithdrawalNotAwaitingApprovalError';

  constructor(
    readonly withdrawalId: string,
    readonly status: WithdrawalStatus,
  ) {
    super(`Withdrawal ${withdrawalId} is ${status}, not awaiting approval`);
  }
}

/** The fee bump was not made; `reason` is bitcoin-gateway's (not-broadcast, fee-rate-not-higher, exceeds-max-fee, ...). */
export class WithdrawalFeeBumpRefusedError extends Error {
  override name = 'WithdrawalFeeBumpRefusedError';

  constructor(
    readonly withdrawalId: string,
    readonly reason: string,
    readonly detail: string,
    /** 422 when the input is at fault (invalid-fee-rate), 409 otherwise. */
    readonly status: 409 | 422 = 409,
  ) {
    super(`Fee bump of withdrawal ${withdrawalId} refused (${reason}): ${detail}`);
  }
}

export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';

  constructor() {
    super('Not a cursor from a previous page');
  }
}

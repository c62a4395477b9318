import type { Withdrawal } from '../../persistence/wallet-prisma';
import type { AdminWithdrawal, WithdrawalStatus, WithdrawalView } from './withdrawals.contracts';

/** The stored status as the API spells it. */
export const withdrawalStatusOf = (withdrawal: Pick<Withdrawal, 'status'>): WithdrawalStatus =>
  withdrawal.status === 'awaiting_approval' ? 'awaiting-approval' : withdrawal.status;

/** What the user's and the admin's views share. */
const common = (withdrawal: Withdrawal) => ({
  id: withdrawal.id,
  address: withdrawal.address,
  amountSats: withdrawal.amountSats.toString(),
  maxFeeSats: withdrawal.maxFeeSats.toString(),
  feeSats: withdrawal.feeSats?.toString() ?? null,
  status: withdrawalStatusOf(withdrawal),
  txid: withdrawal.txid,
  rejectionReason: withdrawal.status === 'rejected' ? withdrawal.reviewReason : null,
  createdAt: withdrawal.createdAt.toISOString(),
});

export const toWithdrawalView = (withdrawal: Withdrawal): WithdrawalView => ({
  ...common(withdrawal),
  vout: withdrawal.vout,
  failureReason: withdrawal.failureReason,
  broadcastAt: withdrawal.broadcastAt?.toISOString() ?? null,
  confirmedAt: withdrawal.confirmedAt?.toISOString() ?? null,
  failedAt: withdrawal.failedAt?.toISOString() ?? null,
  rejectedAt: withdrawal.status === 'rejected' ? (withdrawal.reviewedAt?.toISOString() ?? null) : null,
});

export const toAdminWithdrawal = (withdrawal: Withdrawal): AdminWithdrawal => ({
  ...common(withdrawal),
  userId: withdrawal.userId,
  reviewedBy: withdrawal.reviewedBy,
  reviewedAt: withdrawal.reviewedAt?.toISOString() ?? null,
});

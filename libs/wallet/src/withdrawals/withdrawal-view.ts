import type { WithdrawalView } from '../http/withdrawal.contracts';
import type { Withdrawal } from '../persistence/wallet-prisma';

export const toWithdrawalView = (withdrawal: Withdrawal): WithdrawalView => ({
  id: withdrawal.id,
  address: withdrawal.address,
  amountSats: withdrawal.amountSats.toString(),
  maxFeeSats: withdrawal.maxFeeSats.toString(),
  feeSats: withdrawal.feeSats?.toString() ?? null,
  status: withdrawal.status,
  txid: withdrawal.txid,
  vout: withdrawal.vout,
  failureReason: withdrawal.failureReason,
  createdAt: withdrawal.createdAt.toISOString(),
  broadcastAt: withdrawal.broadcastAt?.toISOString() ?? null,
  confirmedAt: withdrawal.confirmedAt?.toISOString() ?? null,
  failedAt: withdrawal.failedAt?.toISOString() ?? null,
});

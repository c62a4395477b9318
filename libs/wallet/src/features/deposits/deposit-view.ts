import type { Deposit } from '../../persistence/wallet-prisma';
import type { DepositView } from './deposits.contracts';

export const toDepositView = (deposit: Deposit): DepositView => ({
  id: deposit.id,
  txid: deposit.txid,
  vout: deposit.vout,
  address: deposit.address,
  amountSats: deposit.amountSats.toString(),
  status: deposit.status,
  confirmations: deposit.confirmations,
  blockHeight: deposit.blockHeight,
  detectedAt: deposit.detectedAt.toISOString(),
  confirmedAt: deposit.confirmedAt?.toISOString() ?? null,
  reversedAt: deposit.reversedAt?.toISOString() ?? null,
});

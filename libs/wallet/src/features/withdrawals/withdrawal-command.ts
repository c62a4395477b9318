import { withdrawalRequestedV1 } from '@bitro/gateway-contract';
import type { Outbox } from '@bitro/messaging';
import type { Withdrawal, WalletTx } from '../../persistence/wallet-prisma';

/**
 * Hands a withdrawal to bitcoin-gateway (`gateway.withdrawal-requested.v1`), in the transaction that makes it
 * `requested`: at the request, or at its approval when it was above the threshold.
 */
export async function requestPayment(outbox: Outbox, tx: WalletTx, withdrawal: Pick<Withdrawal, 'id' | 'userId' | 'address' | 'amountSats' | 'maxFeeSats'>): Promise<void> {
  const { id: withdrawalId, userId, address, amountSats, maxFeeSats } = withdrawal;
  await outbox.append(tx, withdrawalRequestedV1, { withdrawalId, userId, address, amountSats: amountSats.toString(), maxFeeSats: maxFeeSats.toString() });
}

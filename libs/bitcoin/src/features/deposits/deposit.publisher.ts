import { depositConfirmedV1, depositDetectedV1, depositReversedV1 } from '@bitro/gateway-contract';
import type { Outbox, SqlExecutor } from '@bitro/messaging';
import type { DepositEventKind } from './deposit-state';

/** A deposit output as the node reports it now. */
export interface DepositSighting {
  txid: string;
  vout: number;
  address: string;
  userId: string;
  amountSats: bigint;
  /** Negative when conflicted. */
  confirmations: number;
  blockHash: string | null;
  blockHeight: number | null;
}

/** Appends the contract event of one deposit transition to the outbox, inside the caller's transaction. */
export async function appendDepositEvent(outbox: Outbox, tx: SqlExecutor, deposit: DepositSighting, event: DepositEventKind): Promise<void> {
  const output = { userId: deposit.userId, address: deposit.address, txid: deposit.txid, vout: deposit.vout, amountSats: deposit.amountSats.toString() };
  const { confirmations, blockHash, blockHeight } = deposit;
  switch (event.kind) {
    case 'detected':
      await outbox.append(tx, depositDetectedV1, { ...output, confirmations, blockHash, blockHeight });
      return;
    case 'confirmed':
      if (blockHash === null || blockHeight === null) throw new Error(`deposit ${deposit.txid}:${deposit.vout} has ${confirmations} confirmations but no block`);
      await outbox.append(tx, depositConfirmedV1, { ...output, confirmations, blockHash, blockHeight });
      return;
    case 'reversed':
      await outbox.append(tx, depositReversedV1, { ...output, reason: event.reason });
      return;
  }
}

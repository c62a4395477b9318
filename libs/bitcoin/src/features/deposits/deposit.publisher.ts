import { Injectable } from '@nestjs/common';
import { depositConfirmedV1, depositDetectedV1, depositReversedV1 } from '@bitro/gateway-contract';
import { Outbox, type SqlExecutor } from '@bitro/messaging';
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

/** The gateway's deposit events, appended to the outbox inside the caller's transaction. */
@Injectable()
export class DepositPublisher {
  constructor(private readonly outbox: Outbox) {}

  /** Appends the contract event of one deposit transition. */
  async append(tx: SqlExecutor, deposit: DepositSighting, event: DepositEventKind): Promise<void> {
    const output = { userId: deposit.userId, address: deposit.address, txid: deposit.txid, vout: deposit.vout, amountSats: deposit.amountSats.toString() };
    const { confirmations, blockHash, blockHeight } = deposit;
    switch (event.kind) {
      case 'detected':
        await this.outbox.append(tx, depositDetectedV1, { ...output, confirmations, blockHash, blockHeight });
        return;
      case 'confirmed':
        if (blockHash === null || blockHeight === null) throw new Error(`deposit ${deposit.txid}:${deposit.vout} has ${confirmations} confirmations but no block`);
        await this.outbox.append(tx, depositConfirmedV1, { ...output, confirmations, blockHash, blockHeight });
        return;
      case 'reversed':
        await this.outbox.append(tx, depositReversedV1, { ...output, reason: event.reason });
        return;
    }
  }
}

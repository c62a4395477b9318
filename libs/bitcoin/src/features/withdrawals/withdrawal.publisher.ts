import { Injectable } from '@nestjs/common';
import { withdrawalBroadcastV1, withdrawalConfirmedV1, withdrawalFailedV1 } from '@bitro/gateway-contract';
import { Outbox, type SqlExecutor } from '@bitro/messaging';
import type { z } from 'zod';
import type { Withdrawal } from '../../generated/prisma/client';
import { WithdrawalTraces } from './withdrawal-traces';

export type WithdrawalFailureReason = z.output<(typeof withdrawalFailedV1)['payload']>['reason'];

export interface BlockConfirmation {
  confirmations: number;
  blockHash: string;
  blockHeight: number;
}

const MAX_DETAIL = 500;

/** The gateway's withdrawal events, appended to the outbox inside the caller's transaction. */
@Injectable()
export class WithdrawalPublisher {
  constructor(
    private readonly outbox: Outbox,
    private readonly traces: WithdrawalTraces,
  ) {}

  async failed(tx: SqlExecutor, withdrawal: Pick<Withdrawal, 'id' | 'userId'>, reason: WithdrawalFailureReason, detail: string): Promise<void> {
    await this.outbox.append(tx, withdrawalFailedV1, { withdrawalId: withdrawal.id, userId: withdrawal.userId, reason, detail: detail.slice(0, MAX_DETAIL) });
  }

  async broadcast(tx: SqlExecutor, withdrawal: Withdrawal, txid: string): Promise<void> {
    await this.traces.inTraceOf(withdrawal, () => this.outbox.append(tx, withdrawalBroadcastV1, sentPayload(withdrawal, txid)));
  }

  async confirmed(tx: SqlExecutor, withdrawal: Withdrawal, txid: string, block: BlockConfirmation): Promise<void> {
    await this.traces.inTraceOf(withdrawal, () => this.outbox.append(tx, withdrawalConfirmedV1, { ...sentPayload(withdrawal, txid), ...block }));
  }

}

function sentPayload(withdrawal: Withdrawal, txid: string) {
  if (withdrawal.vout === null || withdrawal.feeSats === null) throw new Error(`withdrawal ${withdrawal.id} has no output in ${txid}`);
  return { withdrawalId: withdrawal.id, userId: withdrawal.userId, txid, vout: withdrawal.vout, feeSats: withdrawal.feeSats.toString() };
}

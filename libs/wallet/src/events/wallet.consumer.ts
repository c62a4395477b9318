import { Injectable } from '@nestjs/common';
import {
  depositConfirmedV1,
  depositDetectedV1,
  depositReversedV1,
  withdrawalBroadcastV1,
  withdrawalConfirmedV1,
  withdrawalFailedV1,
} from '@bitro/gateway-contract';
import { EventSubscriber, handlersIn, pgTransaction, type SqlExecutor } from '@bitro/messaging';
import { redemptionApprovedV1 } from '@bitro/service-api';
import { DepositCrediting } from '../features/deposits/deposit-crediting';
import { RedemptionCrediting } from '../features/redemption-credit/redemption-crediting';
import { WithdrawalSettlement } from '../features/withdrawals/withdrawal-settlement';
import { WalletPrisma } from '../persistence/wallet-prisma';

/**
 * Handlers run inside this consumer's transaction(), on the domain's pool with named statements (ADR 0038): what they
 * write commits together with the event's inbox row.
 */
const onTx = handlersIn<SqlExecutor>();

/** The wallet's event consumer: credits approved gift-card redemptions; follows the gateway's deposits and withdrawals. */
@EventSubscriber()
@Injectable()
export class WalletConsumer implements EventSubscriber {
  readonly consumer = 'wallet';
  readonly handlers = [
    onTx(redemptionApprovedV1, (event, tx) => this.redemptions.approved(event, tx)),
    onTx(depositDetectedV1, (event, tx) => this.deposits.detected(event, tx)),
    onTx(depositConfirmedV1, (event, tx) => this.deposits.confirmed(event, tx)),
    onTx(depositReversedV1, (event, tx) => this.deposits.reversed(event, tx)),
    onTx(withdrawalBroadcastV1, (event, tx) => this.withdrawals.broadcast(event, tx)),
    onTx(withdrawalConfirmedV1, (event, tx) => this.withdrawals.confirmed(event, tx)),
    onTx(withdrawalFailedV1, (event, tx) => this.withdrawals.failed(event, tx)),
  ];

  constructor(
    private readonly prisma: WalletPrisma,
    private readonly redemptions: RedemptionCrediting,
    private readonly deposits: DepositCrediting,
    private readonly withdrawals: WithdrawalSettlement,
  ) {}

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return pgTransaction(this.prisma.pool, work);
  }
}

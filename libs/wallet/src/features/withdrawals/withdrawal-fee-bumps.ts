import { Inject, Injectable } from '@nestjs/common';
import { bumpWithdrawalFeeRoute } from '@bitro/gateway-contract';
import { AUDIT_API, type AuditApi } from '@bitro/service-api';
import { WalletPrisma } from '../../persistence/wallet-prisma';
import { WalletGateway } from '../gateway/wallet-gateway';
import { WithdrawalFeeBumpRefusedError, WithdrawalNotFoundError } from './withdrawal.errors';
import { withdrawalStatusOf } from './withdrawal-view';
import type { WithdrawalFeeBump } from './withdrawals.contracts';

/**
 * An admin's RBF fee bump of a stuck withdrawal, made by bitcoin-gateway. The gateway refuses a replacement whose
 * fee share exceeds the withdrawal's maxFeeSats (`exceeds-max-fee`), so the hold always covers the fee. The new txid
 * and fee reach the withdrawal through the gateway's `withdrawal-broadcast` event, like any broadcast.
 */
@Injectable()
export class WithdrawalFeeBumps {
  constructor(
    private readonly prisma: WalletPrisma,
    private readonly gateway: WalletGateway,
    @Inject(AUDIT_API) private readonly audit: AuditApi,
  ) {}

  /** Throws {@link WithdrawalNotFoundError}, {@link WithdrawalFeeBumpRefusedError}; a gateway that cannot answer is a 503 problem already. */
  async bumpFee({ withdrawalId, actorId, feeRateSatPerVb }: { withdrawalId: string; actorId: string; feeRateSatPerVb: string }): Promise<WithdrawalFeeBump> {
    const withdrawal = await this.prisma.withdrawal.findUnique({ where: { id: withdrawalId } });
    if (!withdrawal) throw new WithdrawalNotFoundError(withdrawalId);
    // `requested` may already be broadcast: the gateway's event can lag behind it; the gateway decides.
    if (withdrawal.status !== 'requested' && withdrawal.status !== 'broadcast') {
      throw new WithdrawalFeeBumpRefusedError(withdrawalId, 'not-broadcast', `The withdrawal is ${withdrawalStatusOf(withdrawal)}: only a broadcast, unconfirmed one can be bumped.`);
    }
    const refusal = (reason: string, detail: string, status: number) => new WithdrawalFeeBumpRefusedError(withdrawalId, reason, detail, status === 422 ? 422 : 409);
    const result = await this.gateway.call(bumpWithdrawalFeeRoute, { withdrawalId, feeRateSatPerVb }, refusal);
    await this.audit.record(undefined, {
      action: 'withdrawal.bump-fee',
      actorId,
      subject: `withdrawal:${withdrawalId}`,
      details: { feeRateSatPerVb, txid: result.txid, replacedTxid: result.replacedTxid, feeSats: result.feeSats, status: result.status, withdrawalIds: result.withdrawalIds },
      idempotencyKey: `withdrawal.bump-fee:${withdrawalId}:${result.txid}`,
    });
    return result;
  }
}

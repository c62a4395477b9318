import { Injectable } from '@nestjs/common';
import { Outbox, type SqlExecutor } from '@bitro/messaging';
import { redemptionApprovedV1 } from '@bitro/service-api';
import type { Redemption } from '../../persistence/giftcard-prisma';
import type { Quote } from './quote';

/** Turns an approved redemption and its quote into `giftcard.redemption-approved.v1`: the wallet credits `amountSats`. */
@Injectable()
export class RedemptionApprovedPublisher {
  constructor(private readonly outbox: Outbox) {}

  /** Appends the event in `tx`, the transaction that approves the redemption. */
  async publish(tx: SqlExecutor, redemption: Pick<Redemption, 'id' | 'userId' | 'brandCode'>, amounts: Quote): Promise<void> {
    await this.outbox.append(tx, redemptionApprovedV1, {
      redemptionId: redemption.id,
      userId: redemption.userId,
      brand: redemption.brandCode,
      faceValueKrw: amounts.faceValueKrw.toString(),
      feeKrw: amounts.feeKrw.toString(),
      priceKrwPerBtc: amounts.priceKrwPerBtc.toString(),
      amountSats: amounts.amountSats.toString(),
    });
  }
}

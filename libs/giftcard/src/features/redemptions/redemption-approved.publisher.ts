import type { PayloadOf, redemptionApprovedV1 } from '@bitro/service-api';
import type { Redemption } from '../persistence/giftcard-prisma';
import type { Quote } from './quote';

/** The approved event of a redemption and its quote: the wallet credits `amountSats`. */
export const approvedPayload = (redemption: Pick<Redemption, 'id' | 'userId' | 'brandCode'>, amounts: Quote): PayloadOf<typeof redemptionApprovedV1> => ({
  redemptionId: redemption.id,
  userId: redemption.userId,
  brand: redemption.brandCode,
  faceValueKrw: amounts.faceValueKrw.toString(),
  feeKrw: amounts.feeKrw.toString(),
  priceKrwPerBtc: amounts.priceKrwPerBtc.toString(),
  amountSats: amounts.amountSats.toString(),
});

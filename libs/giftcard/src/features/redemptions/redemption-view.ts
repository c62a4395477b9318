import type { Redemption } from '../../persistence/giftcard-prisma';
import type { RedemptionView } from './redemptions.contracts';

const amount = (value: bigint | null): string | null => (value === null ? null : value.toString());

export const toRedemptionView = (redemption: Redemption): RedemptionView => ({
  id: redemption.id,
  brand: redemption.brandCode,
  // Users see a held redemption as in review; `flagged` is the review queue's word.
  state: redemption.state === 'flagged' ? 'in-review' : redemption.state,
  faceValueKrw: amount(redemption.faceValueKrw),
  feeKrw: amount(redemption.feeKrw),
  priceKrwPerBtc: amount(redemption.priceKrwPerBtc),
  amountSats: amount(redemption.amountSats),
  quoteExpiresAt: redemption.quoteExpiresAt?.toISOString() ?? null,
  rejectionReason: redemption.rejectionReason,
  createdAt: redemption.createdAt.toISOString(),
  updatedAt: redemption.updatedAt.toISOString(),
});

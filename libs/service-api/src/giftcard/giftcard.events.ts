import { z } from 'zod';
import { amountString, defineEvent, positiveAmountString } from '../events/event-contract';

/** A redemption was verified with the issuer and quoted: the wallet should credit `amountSats`. */
export const redemptionApprovedV1 = defineEvent(
  'giftcard.redemption-approved.v1',
  z.object({
    redemptionId: z.uuid(),
    userId: z.uuid(),
    brand: z.string(),
    faceValueKrw: positiveAmountString,
    feeKrw: amountString,
    priceKrwPerBtc: positiveAmountString,
    amountSats: positiveAmountString,
  }),
);

/** A redemption was refused (invalid PIN, already used at the issuer, quote expired, ...). */
export const redemptionRejectedV1 = defineEvent(
  'giftcard.redemption-rejected.v1',
  z.object({ redemptionId: z.uuid(), userId: z.uuid(), reason: z.string() }),
);

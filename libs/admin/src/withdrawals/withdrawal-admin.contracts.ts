import { pageQueryShape } from '@bitro/db';
import { feeRateSatPerVb } from '@bitro/gateway-contract';
import { defineRoute } from '@bitro/http';
import { adminWithdrawalSchema, withdrawalFeeBumpSchema } from '@bitro/service-api';
import { z } from 'zod';

const withdrawalParams = z.object({ id: z.uuid() });
const notAwaiting = 'The withdrawal is not awaiting approval (also when it was already decided): withdrawal-not-awaiting-approval.';

export const listAwaitingApprovalRoute = defineRoute({
  method: 'GET',
  path: '/v1/admin/withdrawals/awaiting-approval',
  tag: 'admin',
  summary: 'Withdrawals above WITHDRAWAL_APPROVAL_THRESHOLD_SATS waiting for a decision, newest first',
  access: 'admin',
  query: z.strictObject(pageQueryShape),
  responses: {
    200: {
      description: 'A page of held withdrawals; `nextCursor` is null on the last page.',
      schema: z.object({ items: z.array(adminWithdrawalSchema), nextCursor: z.string().nullable() }),
    },
  },
});

export const approveWithdrawalRoute = defineRoute({
  method: 'POST',
  path: '/v1/admin/withdrawals/:id/approve',
  tag: 'admin',
  summary: 'Approve a withdrawal: it goes to bitcoin-gateway as any request below the threshold (audited as withdrawal.approve)',
  access: 'admin',
  params: withdrawalParams,
  responses: {
    200: {
      description: 'Approved: `requested`, on its way to the gateway. Its maxFee is the one chosen at the request: if fees rose since, the gateway may fail it (fee-too-high) and the hold returns.',
      schema: adminWithdrawalSchema,
    },
  },
  problems: { 404: 'No withdrawal has this id.', 409: `${notAwaiting} Or its user is frozen: account-not-active.` },
});

export const rejectWithdrawalRoute = defineRoute({
  method: 'POST',
  path: '/v1/admin/withdrawals/:id/reject',
  tag: 'admin',
  summary: 'Reject a withdrawal: its whole hold returns to the user, who is told the reason (audited as withdrawal.reject)',
  access: 'admin',
  params: withdrawalParams,
  body: z.strictObject({ reason: z.string().trim().min(1).max(500).describe('Why; shown to the user and kept in the audit trail.') }),
  responses: { 200: { description: 'Rejected: nothing was sent, the hold is released.', schema: adminWithdrawalSchema } },
  problems: { 404: 'No withdrawal has this id.', 409: notAwaiting },
});

export const bumpFeeRoute = defineRoute({
  method: 'POST',
  path: '/v1/admin/withdrawals/:id/bump-fee',
  tag: 'admin',
  summary: "RBF: replace a stuck withdrawal's unconfirmed transaction by one paying a higher fee rate (audited as withdrawal.bump-fee)",
  access: 'admin',
  params: withdrawalParams,
  body: z.strictObject({
    feeRateSatPerVb: feeRateSatPerVb.describe('The new fee rate in sat/vB, e.g. "25" or "12.5" (at most 3 decimals).'),
  }),
  responses: {
    200: {
      description: "The gateway's result: the replacement's txid and fee (every withdrawal of the transaction moves along). The withdrawal shows them once the gateway reports the broadcast.",
      schema: withdrawalFeeBumpSchema,
    },
  },
  problems: {
    404: 'No withdrawal has this id.',
    409: 'The gateway refused: the problem type names why (not-broadcast, already-confirmed, fee-rate-not-higher, exceeds-max-fee (the fee would exceed the maxFeeSats held), has-descendants, insufficient-change).',
    422: 'invalid-fee-rate',
    503: 'bitcoin-gateway cannot answer now: gateway-unavailable.',
  },
});

import { bumpWithdrawalFeeRoute } from '@bitro/gateway-contract';
import { internalRoute } from '../internal-api/internal-route';

export const withdrawalRoutes = {
  bumpFee: internalRoute(
    bumpWithdrawalFeeRoute,
    'RBF: replace the unconfirmed transaction of a broadcast withdrawal by one paying a higher fee rate (the REST twin of withdrawals:bump-fee).',
    {
      409: 'Refused, nothing stored: the problem type names the reason (not-broadcast, already-confirmed, fee-rate-not-higher, exceeds-max-fee, ...).',
      422: 'invalid-fee-rate',
    },
  ),
};

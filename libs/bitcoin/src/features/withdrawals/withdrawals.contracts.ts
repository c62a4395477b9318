import { bumpWithdrawalFeeRoute } from '@bitro/gateway-contract';
import { internalRoute } from '../internal-api/internal-route';

export const withdrawalRoutes = {
  bumpFee: internalRoute(
    bumpWithdrawalFeeRoute,
    'RBF: replace the unconfirmed transaction of a broadcast withdrawal by one paying a higher fee rate (the REST twin of withdrawals:bump-fee).',
    {
      409: {
        types: ['not-broadcast', 'already-confirmed', 'fee-rate-not-higher', 'exceeds-max-fee', 'has-descendants', 'insufficient-change'],
        description: 'Refused, nothing stored: the problem type names the reason.',
      },
      404: { types: ['withdrawal-not-found'], description: 'No withdrawal has this id.' },
      422: { types: ['invalid-fee-rate'], description: 'The fee rate is not a valid sat/vB value.' },
    },
  ),
};

import { estimateWithdrawalFeeRoute } from '@bitro/gateway-contract';
import { internalRoute } from '../internal-api/internal-route';

export const feeRoutes = {
  estimate: internalRoute(estimateWithdrawalFeeRoute, 'The network fee a withdrawal (1 P2WPKH input, destination + change output) would pay now.'),
};

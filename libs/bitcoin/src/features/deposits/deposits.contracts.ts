import { issueDepositAddressRoute } from '@bitro/gateway-contract';
import { internalRoute } from '../internal-api/internal-route';

export const depositRoutes = {
  issueAddress: internalRoute(issueDepositAddressRoute, "The user's current (newest unused) deposit address; a new one only once it has received funds."),
};

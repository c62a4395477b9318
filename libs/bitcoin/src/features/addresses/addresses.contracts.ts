import { validateAddressRoute } from '@bitro/gateway-contract';
import { internalRoute } from '../internal-api/internal-route';

export const addressRoutes = {
  validate: internalRoute(validateAddressRoute, "Whether the gateway pays withdrawals to an address (Bitcoin Core accepts it, and not everyone could spend it), and if not why."),
};

import { acknowledgeReservesRoute, reservesReportRoute } from '@bitro/gateway-contract';
import { internalRoute } from '../internal-api/internal-route';

export const reservesRoutes = {
  report: internalRoute(reservesReportRoute, "The chain ↔ records checks of the gateway's wallet, newest first, and whether automatic payouts are paused."),
  acknowledge: internalRoute(acknowledgeReservesRoute, 'An admin acknowledges the open reserves mismatches: automatic payouts resume from the wallet as it is.'),
};

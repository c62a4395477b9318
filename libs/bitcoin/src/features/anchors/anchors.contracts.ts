import { publishAnchorRoute } from '@bitro/gateway-contract';
import { internalRoute } from '../internal-api/internal-route';

export const anchorRoutes = {
  publish: internalRoute(publishAnchorRoute, 'Publish data (an audit block root) in an OP_RETURN transaction of the gateway wallet, once per reference.', {
    409: 'reference-conflict: the reference already anchors other data.',
    503: 'gateway-busy (a withdrawal payout awaits its broadcast), broadcast-pending, or the Bitcoin node cannot answer now. Retry later.',
  }),
};

import { publishAnchorRoute } from '@bitro/gateway-contract';
import { internalRoute } from '../internal-api/internal-route';

export const anchorRoutes = {
  publish: internalRoute(publishAnchorRoute, 'Publish data (an audit block root) in an OP_RETURN transaction of the gateway wallet, once per reference.', {
    409: { types: ['reference-conflict'], description: 'The reference already anchors other data.' },
    503: {
      types: ['gateway-busy', 'broadcast-pending', 'bitcoin-node-unavailable'],
      description: 'A withdrawal payout awaits its broadcast, the anchor awaits its own, or the Bitcoin node cannot answer now. Retry later.',
    },
  }),
};

import type { Provider } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { gatewayClientFromEnv } from '@bitro/gateway-contract';
import { currentTraceCarrier } from '@bitro/tracing';
import { ANCHOR_PORT, type AnchorPort } from './anchor.port';
import { GatewayAnchorAdapter } from './gateway-anchor.adapter';
import { NoneAnchorAdapter } from './none-anchor.adapter';

/** The adapter AUDIT_ANCHOR names. */
export const anchorProvider: Provider = {
  provide: ANCHOR_PORT,
  inject: [BITRO_ENV],
  useFactory: (env: BitroEnv): AnchorPort => {
    switch (env.AUDIT_ANCHOR) {
      case 'none':
        return new NoneAnchorAdapter();
      case 'gateway': {
        const client = gatewayClientFromEnv(env, { traceHeaders: currentTraceCarrier });
        // The env schema refuses AUDIT_ANCHOR=gateway without the secret; this keeps a test's env honest too.
        if (!client) throw new Error('AUDIT_ANCHOR=gateway needs GATEWAY_HMAC_SECRET');
        return new GatewayAnchorAdapter(client);
      }
    }
  },
};

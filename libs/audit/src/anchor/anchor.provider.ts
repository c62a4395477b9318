import type { Provider } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { ANCHOR_PORT, type AnchorPort } from './anchor.port';
import { NoneAnchorAdapter } from './none-anchor.adapter';

/** The adapter AUDIT_ANCHOR names. */
export const anchorProvider: Provider = {
  provide: ANCHOR_PORT,
  inject: [BITRO_ENV],
  useFactory: (env: BitroEnv): AnchorPort => {
    switch (env.AUDIT_ANCHOR) {
      case 'none':
        return new NoneAnchorAdapter();
    }
  },
};

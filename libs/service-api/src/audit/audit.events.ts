import { z } from 'zod';
import { defineEvent } from '../events/event-contract';

/** The audit trail sealed records `firstSeq`..`lastSeq` into block `height` under `merkleRoot`. */
export const auditBlockSealedV1 = defineEvent(
  'audit.block-sealed.v1',
  z.object({
    height: z.string().regex(/^(0|[1-9][0-9]*)$/),
    firstSeq: z.string().regex(/^[1-9][0-9]*$/),
    lastSeq: z.string().regex(/^[1-9][0-9]*$/),
    merkleRoot: z.string().regex(/^[0-9a-f]{64}$/),
  }),
);

import { Inject, Injectable } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv, MESSAGING_SETTINGS, type MessagingSettings } from '@bitro/config';
import { RepeatingJob } from '@bitro/messaging';
import { BlockSeal } from './block-seal';

export const SEAL_QUEUE = 'audit-block-seal';

/** Runs the {@link BlockSeal} every AUDIT_BLOCK_INTERVAL_MS; concurrent runs of other replicas skip (advisory lock). */
@Injectable()
export class BlockSealSchedule extends RepeatingJob {
  constructor(seal: BlockSeal, @Inject(MESSAGING_SETTINGS) settings: MessagingSettings, @Inject(BITRO_ENV) env: BitroEnv) {
    super(settings, {
      queue: SEAL_QUEUE,
      schedulerId: 'audit-seal-blocks',
      everyMs: env.AUDIT_BLOCK_INTERVAL_MS,
      label: 'Audit block sealing',
      context: 'audit',
      run: () => seal.run(),
    });
  }
}

import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Poller } from '@bitro/db';
import { BITCOIN_MODULE_OPTIONS, type BitcoinModuleOptions, DEFAULT_RESERVES_OPTIONS } from '../../bitcoin-module.options';
import { WITHDRAWAL_SENDER_LOCK_KEY, WithdrawalSenderLock } from '../withdrawals/withdrawal-sender.lock';
import { ReservesCheck } from './reserves-check';

/** Runs the reserves check every `reserves.checkIntervalMs`, under the withdrawal sender's lock (one replica, between sender runs). */
@Injectable()
export class ReservesCheckSchedule implements OnModuleDestroy {
  private readonly poller: Poller;

  constructor(check: ReservesCheck, lock: WithdrawalSenderLock, @Inject(BITCOIN_MODULE_OPTIONS) options: BitcoinModuleOptions) {
    this.poller = new Poller({
      name: 'ReservesCheck',
      intervalMs: (options.reserves ?? DEFAULT_RESERVES_OPTIONS).checkIntervalMs,
      run: async () => void (await check.run()),
      exclusive: { pool: lock.pool, lockKey: WITHDRAWAL_SENDER_LOCK_KEY },
    });
  }

  start(): void {
    this.poller.start();
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  onModuleDestroy(): Promise<void> {
    return this.stop();
  }
}

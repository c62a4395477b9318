import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Poller, SAFETY_NET_POLL_MS } from '@bitro/db';
import { BITCOIN_MODULE_OPTIONS, type BitcoinModuleOptions, DEFAULT_WITHDRAWAL_OPTIONS } from '../../bitcoin-module.options';
import { WithdrawalSend } from './withdrawal-send';
import { WITHDRAWAL_SENDER_LOCK_KEY, WithdrawalSenderLock } from './withdrawal-sender.lock';

/**
 * Runs the withdrawal sender ({@link WithdrawalSend}) every `withdrawals.sendIntervalMs` while withdrawals are in flight,
 * every 10 s otherwise, and at once when one is queued; on one gateway replica at a time. The app starts it.
 */
@Injectable()
export class WithdrawalSendSchedule implements OnModuleDestroy {
  private readonly poller: Poller;
  private inFlight = true;

  constructor(send: WithdrawalSend, lock: WithdrawalSenderLock, @Inject(BITCOIN_MODULE_OPTIONS) options: BitcoinModuleOptions) {
    const { sendIntervalMs } = options.withdrawals ?? DEFAULT_WITHDRAWAL_OPTIONS;
    this.poller = new Poller({
      name: 'WithdrawalSender',
      intervalMs: () => (this.inFlight ? sendIntervalMs : Math.max(SAFETY_NET_POLL_MS, sendIntervalMs)),
      run: async () => {
        // A run that fails (node down, say) keeps the short interval.
        this.inFlight = true;
        this.inFlight = await send.run();
      },
      exclusive: { pool: lock.pool, lockKey: WITHDRAWAL_SENDER_LOCK_KEY },
    });
  }

  start(): void {
    this.poller.start();
  }

  /** A run now (e.g. after new withdrawals were queued), or right after the current one. */
  wake(): void {
    this.poller.wake();
  }

  /** Waits for the current run. */
  stop(): Promise<void> {
    return this.poller.stop();
  }

  onModuleDestroy(): Promise<void> {
    return this.stop();
  }
}

import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DepositWatch, WithdrawalSending } from '@bitro/bitcoin';
import { MESSAGING_SETTINGS, type MessagingSettings } from '@bitro/config';

/** The gateway's background work: the deposit watcher and the withdrawal sender (not in operator commands). */
@Injectable()
export class GatewayWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(MESSAGING_SETTINGS) private readonly settings: MessagingSettings,
    private readonly deposits: DepositWatch,
    private readonly withdrawals: WithdrawalSending,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.settings.worker) return;
    this.deposits.start();
    this.withdrawals.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([this.deposits.stop(), this.withdrawals.stop()]);
  }
}

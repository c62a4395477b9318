import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DepositScanSchedule, ReservesCheckSchedule, WithdrawalSendSchedule } from '@bitro/bitcoin';
import { MESSAGING_SETTINGS, type MessagingSettings } from '@bitro/config';

/** Starts the gateway's background work: the deposit scan, the withdrawal sender and the reserves check (not in operator commands). */
@Injectable()
export class GatewayWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(MESSAGING_SETTINGS) private readonly settings: MessagingSettings,
    private readonly deposits: DepositScanSchedule,
    private readonly withdrawals: WithdrawalSendSchedule,
    private readonly reserves: ReservesCheckSchedule,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.settings.worker) return;
    this.deposits.start();
    this.withdrawals.start();
    this.reserves.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([this.deposits.stop(), this.withdrawals.stop(), this.reserves.stop()]);
  }
}

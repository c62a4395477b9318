import { Injectable } from '@nestjs/common';
import { MetricsCollector } from '@bitro/metrics';
import { BitcoinPrisma } from '../../persistence/bitcoin-prisma';

/** Payouts not settled (signed, broadcast) and the failed ones; confirmed and replaced ones only grow, so are not counted. */
const STATES = ['signed', 'broadcast', 'failed'] as const;

/** Payouts in flight by state, and how long the oldest of each has been there (from the (status, created_at) index). */
@Injectable()
export class PayoutsCollector extends MetricsCollector {
  readonly name = 'the payouts';
  private readonly payouts = this.gauge({ name: 'bitro_gateway_payouts', help: 'Payouts (withdrawal transactions) by state: signed, broadcast, failed.', labelNames: ['state'] });
  private readonly oldestAge = this.gauge({
    name: 'bitro_gateway_payout_oldest_age_seconds',
    help: 'Age of the oldest payout of each state since it was signed; 0 when there is none.',
    labelNames: ['state'],
  });

  constructor(private readonly prisma: BitcoinPrisma) {
    super();
  }

  async collect(): Promise<void> {
    const rows = await this.prisma.$queryRaw<Array<{ state: string; payouts: number; oldest_age_s: number | null }>>`
      SELECT status::text AS state, count(*)::int AS payouts,
             extract(epoch FROM clock_timestamp() - min(created_at))::float8 AS oldest_age_s
        FROM gateway.payouts WHERE status::text = ANY(${[...STATES]}::text[]) GROUP BY status`;
    const byState = new Map(rows.map((row) => [row.state, row]));
    for (const state of STATES) {
      const row = byState.get(state);
      this.payouts.set({ state }, row?.payouts ?? 0);
      this.oldestAge.set({ state }, Math.max(0, row?.oldest_age_s ?? 0));
    }
  }
}

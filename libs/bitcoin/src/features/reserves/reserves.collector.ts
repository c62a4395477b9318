import { Injectable } from '@nestjs/common';
import { MetricsCollector } from '@bitro/metrics';
import { BitcoinPrisma } from '../../persistence/bitcoin-prisma';

/** The latest reserves check (chain ↔ ledger reconciliation): what the wallet holds minus what the records say. */
@Injectable()
export class ReservesCollector extends MetricsCollector {
  readonly name = 'the reserves check';
  private readonly difference = this.gauge({
    name: 'bitro_gateway_chain_ledger_difference_sats',
    help: "The latest reserves check's difference, wallet minus records, in satoshis; 0 when they agree or before the first check.",
  });

  constructor(private readonly prisma: BitcoinPrisma) {
    super();
  }

  async collect(): Promise<void> {
    const [latest] = await this.prisma.$queryRaw<Array<{ difference_sats: bigint }>>`
      SELECT difference_sats FROM gateway.reserve_checks ORDER BY checked_at DESC LIMIT 1`;
    this.difference.set(Number(latest?.difference_sats ?? 0n));
  }
}

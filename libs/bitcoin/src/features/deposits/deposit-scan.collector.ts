import { Injectable } from '@nestjs/common';
import { MetricsCollector } from '@bitro/metrics';
import { BitcoinPrisma } from '../../persistence/bitcoin-prisma';
import { NodeSyncProbe } from '../node/node-sync.probe';
import { DEPOSIT_CURSOR_NAME } from './deposit-scan';

/** How far the deposit scan's cursor is behind the node's tip. */
@Injectable()
export class DepositScanCollector extends MetricsCollector {
  readonly name = 'the deposit scan';
  private readonly lag = this.gauge({
    name: 'bitro_gateway_deposit_scan_lag_blocks',
    help: "Blocks between the node's tip and the deposit scan's cursor (the whole chain before the first scan).",
  });

  constructor(
    private readonly node: NodeSyncProbe,
    private readonly prisma: BitcoinPrisma,
  ) {
    super();
  }

  async collect(): Promise<void> {
    const [probe, cursor] = await Promise.all([
      this.node.probe(),
      this.prisma.$queryRaw<Array<{ height: number }>>`SELECT block_height AS height FROM gateway.chain_cursors WHERE name = ${DEPOSIT_CURSOR_NAME}`,
    ]);
    if (probe.blocks === undefined) throw new Error(probe.error ?? 'the node did not answer');
    this.lag.set(Math.max(0, probe.blocks - (cursor[0]?.height ?? 0)));
  }
}

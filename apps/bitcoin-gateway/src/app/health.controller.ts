import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { NodeSyncProbe, WalletProbe, WithdrawalFeeEstimator } from '@bitro/bitcoin';
import { PG_POOL, probePostgres, probeRedis, REDIS } from '@bitro/db';
import { sendReadiness } from '@bitro/http';
import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { Unsigned } from '../security/unsigned.decorator';

@Unsigned()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly node: NodeSyncProbe,
    private readonly wallet: WalletProbe,
    private readonly fees: WithdrawalFeeEstimator,
  ) {}

  /** The process is up and serving. */
  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * PostgreSQL, Redis and the Bitcoin node answer, and the node is in sync (not warming up, not in initial block
   * download, no headers ahead of blocks) and its wallet is loaded; otherwise 503 naming the failing checks. The node
   * check reports blocks/headers/IBD; the wallet check, and the fee-estimate check, carry a `warning` while withdrawals
   * cannot be signed (encrypted wallet without a passphrase) or Core has no fee estimate.
   */
  @Get('ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const checks = await Promise.all([probePostgres(this.pool), probeRedis(this.redis), this.node.probe(), this.wallet.probe(), this.feeEstimate()]);
    sendReadiness(reply, checks);
  }

  private async feeEstimate(): Promise<{ name: 'fee-estimate'; up: true; estimated?: boolean; warning?: string }> {
    // Informational: the node check above already reports a node that cannot answer.
    const status = await this.fees.status().catch(() => undefined);
    return { name: 'fee-estimate', up: true, ...status };
  }
}

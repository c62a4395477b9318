import { Inject, Injectable } from '@nestjs/common';
import { MetricsCollector } from '@bitro/metrics';
import type { Pool } from 'pg';
import { PG_POOL } from './tokens';

/** The process's PostgreSQL pool as Prometheus sees it: connections open, idle, and callers waiting for one. */
@Injectable()
export class PgPoolCollector extends MetricsCollector {
  readonly name = 'the PostgreSQL pool';
  private readonly connections = this.gauge({
    name: 'bitro_pg_pool_connections',
    help: 'PostgreSQL pool: connections open (total), idle, and callers waiting for one.',
    labelNames: ['pool', 'state'],
  });

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {
    super();
  }

  async collect(): Promise<void> {
    this.connections.set({ pool: 'main', state: 'total' }, this.pool.totalCount);
    this.connections.set({ pool: 'main', state: 'idle' }, this.pool.idleCount);
    this.connections.set({ pool: 'main', state: 'waiting' }, this.pool.waitingCount);
  }
}

import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { PG_POOL, probePostgres, probeRedis, REDIS } from '@bitro/db';
import { sendReadiness } from '@bitro/http';
import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';

@Controller('health')
export class HealthController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** The process is up and serving. */
  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Every dependency answers; otherwise 503 naming the ones that do not. */
  @Get('ready')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const checks = await Promise.all([probePostgres(this.pool), probeRedis(this.redis)]);
    sendReadiness(reply, checks);
  }
}

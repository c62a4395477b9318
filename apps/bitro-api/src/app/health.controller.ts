import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { PG_POOL, probePostgres, probeRedis, REDIS } from '@bitro/db';
import { PROBLEM_CONTENT_TYPE, problemType } from '@bitro/http';
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
    const down = checks.filter((check) => !check.up);
    if (down.length === 0) {
      void reply.status(200).send({ status: 'ok', checks });
      return;
    }
    void reply
      .status(503)
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .header('retry-after', '5')
      .send({
        type: problemType('dependency-down'),
        title: 'Service Unavailable',
        status: 503,
        detail: `Not ready: ${down.map((check) => `${check.name} (${check.error})`).join(', ')}.`,
        instance: '/health/ready',
        requestId: String(reply.request.id),
        down: down.map((check) => check.name),
        checks,
      });
  }
}

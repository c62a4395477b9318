import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { BitroEnv } from '@bitro/config';
import { createFastifyAdapter, createLogger, nestLoggerOf } from '@bitro/http';
import { observeHttpRequests } from '@bitro/metrics';
import type { FastifyInstance } from 'fastify';
import type pino from 'pino';
import { AppModule } from './app.module';
import { mountQueueDashboard } from './queue-dashboard';

/** bitro-api, ready to listen: used by `main.ts` and by the end-to-end tests. */
export async function createApp(env: BitroEnv, logDestination?: pino.DestinationStream): Promise<NestFastifyApplication> {
  const logger = createLogger(env.LOG_LEVEL, logDestination);
  const adapter = createFastifyAdapter({ logger, bodyLimit: env.BODY_LIMIT_BYTES, trustProxy: env.TRUST_PROXY });
  if (env.METRICS_PORT !== 0) observeHttpRequests(adapter.getInstance() as unknown as FastifyInstance);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(env), adapter, {
    logger: nestLoggerOf(logger),
    bufferLogs: false,
    abortOnError: false,
  });
  app.enableShutdownHooks();
  if (env.BITRO_ROLES.includes('http')) {
    // After init: the dashboard lists the queues messaging discovers at bootstrap.
    await app.init();
    await mountQueueDashboard(app, env.ACCESS_TOKEN_TTL_SECONDS);
  }
  return app;
}

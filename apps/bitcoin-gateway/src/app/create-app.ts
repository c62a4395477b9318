import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GatewayEnv } from '@bitro/config';
import { createFastifyAdapter, createLogger, nestLoggerOf } from '@bitro/http';
import { observeHttpRequests } from '@bitro/metrics';
import type { FastifyInstance } from 'fastify';
import type pino from 'pino';
import { registerRawJsonParser } from '../security/raw-json-parser';
import { AppModule } from './app.module';

/** bitcoin-gateway, ready to listen: used by `main.ts` and by the end-to-end tests. */
export async function createApp(env: GatewayEnv, logDestination?: pino.DestinationStream): Promise<NestFastifyApplication> {
  const logger = createLogger(env.LOG_LEVEL, logDestination, 'bitcoin-gateway');
  // Never behind a public proxy: the peer address is the caller's.
  const adapter = createFastifyAdapter({ logger, bodyLimit: env.BODY_LIMIT_BYTES, trustProxy: false });
  registerRawJsonParser(adapter.getInstance() as unknown as FastifyInstance);
  if (env.METRICS_PORT !== 0) observeHttpRequests(adapter.getInstance() as unknown as FastifyInstance);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(env), adapter, {
    logger: nestLoggerOf(logger),
    bufferLogs: false,
    abortOnError: false,
    // The raw JSON parser above replaces Nest's, which would drop the bytes the signature covers.
    bodyParser: false,
  });
  app.enableShutdownHooks();
  return app;
}

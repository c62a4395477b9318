import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AnchorModule } from './anchor.module';

/**
 * The benchmark's anchor: what Nest 11 on Fastify does with a JWT guard and nothing else, on the product's versions.
 * Env: PORT, JWT_SECRET.
 */
async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(AnchorModule, new FastifyAdapter(), { logger: false });
  await app.listen({ port: Number(process.env['PORT'] ?? 3200), host: '127.0.0.1' });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

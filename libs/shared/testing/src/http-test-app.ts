import type { Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { TestingModule } from '@nestjs/testing';
import { createFastifyAdapter, createLogger, ProblemFilter, RouteContractGuard } from '@bitro/http';

/** The apps' HTTP conventions (problem+json answers, route contracts: access and validation), for a testing module's providers. */
export const HTTP_CONVENTIONS: Provider[] = [
  { provide: APP_FILTER, useClass: ProblemFilter },
  { provide: APP_GUARD, useClass: RouteContractGuard },
];

/** Serves a compiled testing module on Fastify as the apps do, on a random local port. */
export async function listenForTests(moduleRef: TestingModule, { bodyLimit = 65_536 }: { bodyLimit?: number } = {}): Promise<{ app: NestFastifyApplication; url: string }> {
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter({ logger: createLogger('silent'), bodyLimit, trustProxy: false }));
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { BitcoinModule } from '@bitro/bitcoin';
import { ConfigModule, type GatewayEnv } from '@bitro/config';
import { DbModule } from '@bitro/db';
import { GATEWAY_COMMANDS, GATEWAY_EVENTS, GATEWAY_QUEUES } from '@bitro/gateway-contract';
import { MessagingModule } from '@bitro/messaging';
import { MetricsModule } from '@bitro/metrics';
import { RouteContractGuard } from '@bitro/http';
import { RequestSignatureGuard } from '../security/request-signature.guard';
import { bitcoinOptionsFrom } from './bitcoin-options';
import { GatewayProblemFilter } from './gateway-problem.filter';
import { GatewayWorkers } from './gateway-workers';
import { HealthController } from './health.controller';

/** Wires bitcoin-gateway: its env, database and Redis, and the Bitcoin domain (with the internal API), signed and checked. */
@Module({})
export class AppModule {
  /** `workers: false` (operator commands): no deposit scan, withdrawal sender, reserves check, relay or event consumers. */
  static forRoot(env: GatewayEnv, { workers = true }: { workers?: boolean } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forGateway(env, { workers }),
        DbModule,
        // Prometheus metrics on an internal port of their own.
        MetricsModule.forRoot({ host: env.METRICS_HOST, port: env.METRICS_PORT }),
        // The mirror image of bitro-api's routes: commands in, events out.
        MessagingModule.forRoot({ outbound: GATEWAY_EVENTS, inbound: [{ queue: GATEWAY_QUEUES.commands, events: GATEWAY_COMMANDS }], secrets: env.GATEWAY_HMAC_SECRET }),
        BitcoinModule.register(bitcoinOptionsFrom(env)),
      ],
      controllers: [HealthController],
      providers: [
        GatewayWorkers,
        { provide: APP_FILTER, useClass: GatewayProblemFilter },
        // In this order: the signature first, then the route contract.
        { provide: APP_GUARD, useClass: RequestSignatureGuard },
        { provide: APP_GUARD, useClass: RouteContractGuard },
      ],
    };
  }
}

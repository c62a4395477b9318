import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AuthModule } from '@bitro/auth';
import { type BitroEnv, ConfigModule } from '@bitro/config';
import { DbModule } from '@bitro/db';
import { DocsModule, ProblemFilter, RouteContractGuard } from '@bitro/http';
import { GATEWAY_COMMANDS, GATEWAY_EVENTS, GATEWAY_QUEUES } from '@bitro/gateway-contract';
import { MessagingModule } from '@bitro/messaging';
import { MetricsModule } from '@bitro/metrics';
import { PriceFeedModule } from '@bitro/price-feed';
// The client guide is written beside the OpenAPI document in docs/; it is bundled as text, not imported as code.
// eslint-disable-next-line @nx/enforce-module-boundaries
import clientGuide from '../../../../docs/client-guide.md?raw';
import { API_DESCRIPTION } from './api-info';
import { DomainsModule } from './domains.module';
import { HealthController } from './health.controller';
import { testExtraConsumers } from './test-extra-consumer';

/** Wires the domains of bitro-api. */
@Module({})
export class AppModule {
  static forRoot(env: BitroEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(env),
        DbModule,
        // Its own internal port; a replica without the http role serves it too.
        MetricsModule.forRoot({ host: env.METRICS_HOST, port: env.METRICS_PORT }),
        AuthModule,
        // Withdrawal commands go to bitcoin-gateway; what happens on chain comes back as events.
        MessagingModule.forRoot({
          outbound: GATEWAY_COMMANDS,
          inbound: [{ queue: GATEWAY_QUEUES.events, events: GATEWAY_EVENTS }],
          secrets: env.GATEWAY_HMAC_SECRET ? [env.GATEWAY_HMAC_SECRET] : [],
        }),
        PriceFeedModule,
        DocsModule.forRoot({ ...API_DESCRIPTION, guide: clientGuide }),
        DomainsModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_GUARD, useClass: RouteContractGuard },
        ...testExtraConsumers(env),
      ],
    };
  }
}

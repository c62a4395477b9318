import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { BitcoinModule } from '@bitro/bitcoin';
import { ConfigModule, type GatewayEnv } from '@bitro/config';
import { DbModule } from '@bitro/db';
import { ContractValidationInterceptor } from '@bitro/http';
import { AddressValidationController } from '../internal/address-validation.controller';
import { DepositAddressController } from '../internal/deposit-address.controller';
import { WithdrawalFeeController } from '../internal/withdrawal-fee.controller';
import { RequestSignatureGuard } from '../security/request-signature.guard';
import { bitcoinOptionsFrom } from './bitcoin-options';
import { GatewayProblemFilter } from './gateway-problem.filter';
import { HealthController } from './health.controller';

/** Wires bitcoin-gateway: its env, database and Redis, the Bitcoin domain, and the internal API. */
@Module({})
export class AppModule {
  static forRoot(env: GatewayEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forGateway(env), DbModule, BitcoinModule.register(bitcoinOptionsFrom(env))],
      controllers: [HealthController, DepositAddressController, AddressValidationController, WithdrawalFeeController],
      providers: [
        { provide: APP_FILTER, useClass: GatewayProblemFilter },
        { provide: APP_GUARD, useClass: RequestSignatureGuard },
        { provide: APP_INTERCEPTOR, useClass: ContractValidationInterceptor },
      ],
    };
  }
}

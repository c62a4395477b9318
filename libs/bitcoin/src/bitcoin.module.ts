import { Module, type DynamicModule, type InjectionToken, type ModuleMetadata } from '@nestjs/common';
import { AddressValidator } from './address/address-validator';
import { BITCOIN_MODULE_OPTIONS, type BitcoinModuleOptions } from './bitcoin-module.options';
import { DepositAddressService } from './deposit/deposit-address.service';
import { WithdrawalFeeEstimator } from './fee/withdrawal-fee.estimator';
import { NodeSyncProbe } from './node/node-sync.probe';
import { GatewayPrisma } from './persistence/gateway-prisma';
import { BitcoinRpcClient } from './rpc/bitcoin-rpc.client';

export { BITCOIN_MODULE_OPTIONS, type BitcoinModuleOptions, type FeeOptions } from './bitcoin-module.options';

export interface BitcoinModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (...deps: never[]) => BitcoinModuleOptions | Promise<BitcoinModuleOptions>;
}

/**
 * The gateway's Bitcoin domain: the RPC client, address validation, deposit addresses, fee estimates and the node's
 * readiness probe. Needs the gateway's PostgreSQL pool under `PG_POOL` (@bitro/db) from a global module.
 * bitcoin-gateway registers it with options built from its env (`registerAsync`), tests with literal options.
 */
@Module({})
export class BitcoinModule {
  static register(options: BitcoinModuleOptions): DynamicModule {
    return BitcoinModule.registerAsync({ useFactory: () => options });
  }

  static registerAsync({ imports = [], inject = [], useFactory }: BitcoinModuleAsyncOptions): DynamicModule {
    return {
      module: BitcoinModule,
      imports,
      providers: [
        { provide: BITCOIN_MODULE_OPTIONS, inject, useFactory },
        { provide: BitcoinRpcClient, inject: [BITCOIN_MODULE_OPTIONS], useFactory: (o: BitcoinModuleOptions) => new BitcoinRpcClient(o.rpc) },
        { provide: AddressValidator, inject: [BITCOIN_MODULE_OPTIONS], useFactory: (o: BitcoinModuleOptions) => new AddressValidator(o.network) },
        GatewayPrisma,
        DepositAddressService,
        WithdrawalFeeEstimator,
        NodeSyncProbe,
      ],
      exports: [BitcoinRpcClient, AddressValidator, DepositAddressService, WithdrawalFeeEstimator, NodeSyncProbe],
    };
  }
}

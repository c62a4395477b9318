import { Module, type DynamicModule, type InjectionToken, type ModuleMetadata } from '@nestjs/common';
import { AddressValidator } from './address/address-validator';
import type { BitcoinNetwork } from '@bitro/gateway-contract';
import { BitcoinRpcClient, type BitcoinRpcClientOptions } from './rpc/bitcoin-rpc.client';

export interface BitcoinModuleOptions {
  /** The chain the node runs; addresses are validated for it. */
  network: BitcoinNetwork;
  rpc: BitcoinRpcClientOptions;
}

export const BITCOIN_MODULE_OPTIONS: InjectionToken<BitcoinModuleOptions> = Symbol('BITCOIN_MODULE_OPTIONS');

export interface BitcoinModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (...deps: never[]) => BitcoinModuleOptions | Promise<BitcoinModuleOptions>;
}

/**
 * The gateway's Bitcoin domain: provides {@link BitcoinRpcClient} and {@link AddressValidator}.
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
      ],
      exports: [BitcoinRpcClient, AddressValidator],
    };
  }
}

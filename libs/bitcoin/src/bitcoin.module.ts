import { Module, type DynamicModule, type InjectionToken, type ModuleMetadata } from '@nestjs/common';
import { AddressValidator } from './address/address-validator';
import { AnchorPublisher } from './anchor/anchor-publisher';
import { AnchorStore } from './anchor/anchor-store';
import { BITCOIN_MODULE_OPTIONS, type BitcoinModuleOptions } from './bitcoin-module.options';
import { DepositAddressService } from './deposit/deposit-address.service';
import { DepositWatch } from './deposit/deposit-watch';
import { DepositWatcher } from './deposit/deposit-watcher';
import { WithdrawalFeeEstimator } from './fee/withdrawal-fee.estimator';
import { NodeSyncProbe } from './node/node-sync.probe';
import { GatewayPrisma } from './persistence/gateway-prisma';
import { BitcoinRpcClient } from './rpc/bitcoin-rpc.client';
import { PayoutBroadcaster } from './withdrawal/payout-broadcaster';
import { PayoutBuilder } from './withdrawal/payout-builder';
import { PayoutStore } from './withdrawal/payout-store';
import { PayoutTracker } from './withdrawal/payout-tracker';
import { WithdrawalEvents } from './withdrawal/withdrawal-events';
import { WithdrawalFeeBumper } from './withdrawal/withdrawal-fee-bumper';
import { WithdrawalRequestSubscriber } from './withdrawal/withdrawal-request.subscriber';
import { WithdrawalSender } from './withdrawal/withdrawal-sender';
import { WithdrawalSenderLock } from './withdrawal/withdrawal-sender.lock';
import { WithdrawalSending } from './withdrawal/withdrawal-sending';
import { WithdrawalDestinations } from './address/withdrawal-destinations';
import { PayoutFate } from './withdrawal/payout-fate';
import { StuckPayoutBumper } from './withdrawal/stuck-payout-bumper';
import { PayoutCpfp } from './withdrawal/payout-cpfp';
import { WalletSigner } from './wallet/wallet-signer';
import { WalletProbe } from './wallet/wallet-probe';
import { ReservesCheck } from './reserves/reserves-check';
import { ReservesChecking } from './reserves/reserves-checking';
import { ReservesLedger } from './reserves/reserves-ledger';

export { BITCOIN_MODULE_OPTIONS, type BitcoinModuleOptions, type FeeOptions, type NoEstimatePolicy } from './bitcoin-module.options';

export interface BitcoinModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (...deps: never[]) => BitcoinModuleOptions | Promise<BitcoinModuleOptions>;
}

/**
 * The gateway's Bitcoin domain: the RPC client, address validation, deposit addresses and the deposit watcher, fee
 * estimates, the withdrawal sender and the node's readiness probe. Needs the gateway's PostgreSQL pool under `PG_POOL`
 * (@bitro/db) and the `Outbox` (@bitro/messaging) from global modules.
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
        DepositWatcher,
        DepositWatch,
        WithdrawalFeeEstimator,
        NodeSyncProbe,
        WithdrawalEvents,
        PayoutStore,
        PayoutBroadcaster,
        PayoutBuilder,
        PayoutTracker,
        WithdrawalSenderLock,
        WithdrawalSender,
        WithdrawalSending,
        WithdrawalFeeBumper,
        WithdrawalRequestSubscriber,
        AnchorStore,
        AnchorPublisher,
        WithdrawalDestinations,
        PayoutFate,
        StuckPayoutBumper,
        PayoutCpfp,
        WalletSigner,
        WalletProbe,
        ReservesCheck,
        ReservesChecking,
        ReservesLedger,
      ],
      exports: [
        BitcoinRpcClient,
        AddressValidator,
        WithdrawalDestinations,
        DepositAddressService,
        DepositWatcher,
        DepositWatch,
        WithdrawalFeeEstimator,
        NodeSyncProbe,
        WalletProbe,
        WithdrawalSender,
        WithdrawalSending,
        WithdrawalFeeBumper,
        AnchorPublisher,
        ReservesCheck,
        ReservesChecking,
        ReservesLedger,
      ],
    };
  }
}

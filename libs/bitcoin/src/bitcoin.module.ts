import { Module, type DynamicModule, type InjectionToken, type ModuleMetadata } from '@nestjs/common';
import { AddressValidator } from './features/addresses/address-validator';
import { AnchorPublisher } from './features/anchors/anchoring';
import { AnchorStore } from './features/anchors/anchor-store';
import { BITCOIN_MODULE_OPTIONS, type BitcoinModuleOptions } from './bitcoin-module.options';
import { DepositAddressService } from './features/deposits/deposit-address.service';
import { DepositWatch } from './features/deposits/deposit-scan.schedule';
import { DepositWatcher } from './features/deposits/deposit-scan';
import { WithdrawalFeeEstimator } from './features/fees/withdrawal-fee.estimator';
import { NodeSyncProbe } from './features/node/node-sync.probe';
import { GatewayPrisma } from './persistence/gateway-prisma';
import { BitcoinRpcClient } from './features/node/bitcoin-rpc.client';
import { PayoutBroadcaster } from './features/withdrawals/payout-broadcaster';
import { PayoutBuilder } from './features/withdrawals/payout-builder';
import { PayoutStore } from './features/withdrawals/payout-store';
import { PayoutTracker } from './features/withdrawals/payout-tracker';
import { WithdrawalEvents } from './features/withdrawals/withdrawal.publisher';
import { WithdrawalFeeBumper } from './features/withdrawals/withdrawal-fee-bumper';
import { WithdrawalRequestSubscriber } from './events/bitcoin.consumer';
import { WithdrawalSender } from './features/withdrawals/withdrawal-send';
import { WithdrawalSenderLock } from './features/withdrawals/withdrawal-sender.lock';
import { WithdrawalSending } from './features/withdrawals/withdrawal-send.schedule';
import { WithdrawalDestinations } from './features/addresses/withdrawal-destinations';
import { PayoutFate } from './features/withdrawals/payout-fate';
import { StuckPayoutBumper } from './features/withdrawals/stuck-payout-bump';
import { PayoutCpfp } from './features/withdrawals/payout-cpfp';
import { WalletSigner } from './features/wallet/wallet-signer';
import { WalletProbe } from './features/wallet/wallet-probe';
import { ReservesCheck } from './features/reserves/reserves-check';
import { ReservesChecking } from './features/reserves/reserves-check.schedule';
import { ReservesLedger } from './features/reserves/reserves-ledger';

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

import { Module, type DynamicModule, type InjectionToken, type ModuleMetadata } from '@nestjs/common';
import { BITCOIN_MODULE_OPTIONS, type BitcoinModuleOptions } from './bitcoin-module.options';
import { BitcoinConsumer } from './events/bitcoin.consumer';
import { AddressesController } from './features/addresses/addresses.controller';
import { AddressValidator } from './features/addresses/address-validator';
import { WithdrawalDestinations } from './features/addresses/withdrawal-destinations';
import { AnchorStore } from './features/anchors/anchor-store';
import { Anchoring } from './features/anchors/anchoring';
import { AnchorsController } from './features/anchors/anchors.controller';
import { DepositAddressService } from './features/deposits/deposit-address.service';
import { DepositPublisher } from './features/deposits/deposit.publisher';
import { DepositScan } from './features/deposits/deposit-scan';
import { DepositScanSchedule } from './features/deposits/deposit-scan.schedule';
import { DepositsController } from './features/deposits/deposits.controller';
import { FeesController } from './features/fees/fees.controller';
import { WithdrawalFeeEstimator } from './features/fees/withdrawal-fee.estimator';
import { BitcoinRpcClient } from './features/node/bitcoin-rpc.client';
import { NodeSyncProbe } from './features/node/node-sync.probe';
import { ReservesCheck } from './features/reserves/reserves-check';
import { ReservesCheckSchedule } from './features/reserves/reserves-check.schedule';
import { ReservesController } from './features/reserves/reserves.controller';
import { ReservesLedger } from './features/reserves/reserves-ledger';
import { WalletProbe } from './features/wallet/wallet-probe';
import { WalletSigner } from './features/wallet/wallet-signer';
import { PayoutBroadcaster } from './features/withdrawals/payout-broadcaster';
import { PayoutBuilder } from './features/withdrawals/payout-builder';
import { PayoutCpfp } from './features/withdrawals/payout-cpfp';
import { PayoutFate } from './features/withdrawals/payout-fate';
import { PayoutStore } from './features/withdrawals/payout-store';
import { PayoutTracker } from './features/withdrawals/payout-tracker';
import { StuckPayoutBump } from './features/withdrawals/stuck-payout-bump';
import { WithdrawalFeeBumper } from './features/withdrawals/withdrawal-fee-bumper';
import { WithdrawalPublisher } from './features/withdrawals/withdrawal.publisher';
import { WithdrawalTraces } from './features/withdrawals/withdrawal-traces';
import { WithdrawalQueueing } from './features/withdrawals/withdrawal-queueing';
import { WithdrawalSend } from './features/withdrawals/withdrawal-send';
import { WithdrawalSendSchedule } from './features/withdrawals/withdrawal-send.schedule';
import { WithdrawalSenderLock } from './features/withdrawals/withdrawal-sender.lock';
import { WithdrawalsController } from './features/withdrawals/withdrawals.controller';
import { BitcoinPrisma } from './persistence/bitcoin-prisma';
import { NodeCollector, NodeUpCollector } from './features/node/node.collector';
import { DepositScanCollector } from './features/deposits/deposit-scan.collector';
import { WalletCollector } from './features/wallet/wallet.collector';
import { FeeCollector } from './features/fees/fee.collector';
import { PayoutsCollector } from './features/withdrawals/payouts.collector';
import { ReservesCollector } from './features/reserves/reserves.collector';

export { BITCOIN_MODULE_OPTIONS, type BitcoinModuleOptions, type FeeOptions, type NoEstimatePolicy } from './bitcoin-module.options';

export interface BitcoinModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (...deps: never[]) => BitcoinModuleOptions | Promise<BitcoinModuleOptions>;
}

/**
 * The gateway's Bitcoin domain: the RPC client, address validation, deposit addresses and the deposit scan, fee
 * estimates, the withdrawal sender, anchors, the reserves check, the node's readiness probes, and the internal routes
 * bitro-api calls. Needs the gateway's PostgreSQL pool under `PG_POOL` (@bitro/db) and the `Outbox` (@bitro/messaging)
 * from global modules. bitcoin-gateway registers it with options built from its env (`registerAsync`), tests with
 * literal options.
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
      controllers: [DepositsController, AddressesController, FeesController, WithdrawalsController, AnchorsController, ReservesController],
      providers: [
        { provide: BITCOIN_MODULE_OPTIONS, inject, useFactory },
        BitcoinPrisma,
        BitcoinConsumer,
        // node, wallet, addresses
        { provide: BitcoinRpcClient, inject: [BITCOIN_MODULE_OPTIONS], useFactory: (o: BitcoinModuleOptions) => new BitcoinRpcClient(o.rpc) },
        NodeSyncProbe,
        NodeUpCollector,
        NodeCollector,
        WalletCollector,
        WalletSigner,
        WalletProbe,
        { provide: AddressValidator, inject: [BITCOIN_MODULE_OPTIONS], useFactory: (o: BitcoinModuleOptions) => new AddressValidator(o.network) },
        WithdrawalDestinations,
        // deposits
        DepositAddressService,
        DepositPublisher,
        DepositScan,
        DepositScanSchedule,
        DepositScanCollector,
        // fees
        WithdrawalFeeEstimator,
        FeeCollector,
        // withdrawals
        WithdrawalQueueing,
        WithdrawalPublisher,
        WithdrawalTraces,
        WithdrawalSenderLock,
        PayoutStore,
        PayoutFate,
        PayoutBroadcaster,
        PayoutBuilder,
        PayoutCpfp,
        StuckPayoutBump,
        PayoutTracker,
        WithdrawalSend,
        WithdrawalSendSchedule,
        WithdrawalFeeBumper,
        PayoutsCollector,
        // anchors
        AnchorStore,
        Anchoring,
        // reserves
        ReservesLedger,
        ReservesCheck,
        ReservesCheckSchedule,
        ReservesCollector,
      ],
      // What bitcoin-gateway's own providers inject: its health checks, and the schedules its workers start.
      exports: [NodeSyncProbe, WalletProbe, WithdrawalFeeEstimator, DepositScanSchedule, WithdrawalSendSchedule, ReservesCheckSchedule],
    };
  }
}

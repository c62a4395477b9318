export { BitcoinModule, type BitcoinModuleOptions, type BitcoinModuleAsyncOptions, type FeeOptions, type NoEstimatePolicy } from './bitcoin.module';

// What bitcoin-gateway's wiring uses besides the module: its health checks, the schedules its workers start, the fee
// bump of its operator command, the node's failures its problem filter answers 503, and the consumer its tests deliver to.
export { NodeSyncProbe } from './features/node/node-sync.probe';
export { WalletProbe } from './features/wallet/wallet-probe';
export { WithdrawalFeeEstimator } from './features/fees/withdrawal-fee.estimator';
export { DepositScanSchedule } from './features/deposits/deposit-scan.schedule';
export { WithdrawalSendSchedule } from './features/withdrawals/withdrawal-send.schedule';
export { ReservesCheckSchedule } from './features/reserves/reserves-check.schedule';
export { WithdrawalFeeBumper } from './features/withdrawals/withdrawal-fee-bumper';
export { FeeBumpRefusedError } from './features/withdrawals/fee-bump.errors';
export { BitcoinRpcAuthError, BitcoinRpcError, BitcoinRpcTransportError } from './features/node/rpc-errors';
export { FeeEstimateUnavailableError } from './features/fees/fee-estimate.errors';
export { BitcoinConsumer } from './events/bitcoin.consumer';

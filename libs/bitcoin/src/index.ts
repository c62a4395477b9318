export {
  BitcoinModule,
  BITCOIN_MODULE_OPTIONS,
  type BitcoinModuleOptions,
  type BitcoinModuleAsyncOptions,
  type FeeOptions,
  type NoEstimatePolicy,
} from './bitcoin.module';

// The gateway app's own domain: it injects and catches these directly.
export { BitcoinRpcClient, IDEMPOTENT_RPC_METHODS, type BitcoinRpcClientOptions, type BitcoinRpcAuth } from './rpc/bitcoin-rpc.client';
export type {
  AddressKind,
  CreateFundedPsbtInput,
  CreateRawTransactionInput,
  FundingOptions,
  EstimateMode,
  FeeRateSatPerVb,
} from './rpc/bitcoin-rpc.client';
export type * from './rpc/rpc-schemas';
export { BitcoinRpcAuthError, BitcoinRpcError, BitcoinRpcTransportError, type RpcErrorKind, type TransportFailure } from './rpc/rpc-errors';
export { JsonNumber, type LosslessJson } from './rpc/lossless-json';
export { AddressValidator, validateAddress, type AddressValidation } from './address/address-validator';
export { btcToSats, satsToBtc, MAX_MONEY_SATS, SATS_PER_BTC } from './amount';
export { DepositAddressService, type IssuedDepositAddress } from './deposit/deposit-address.service';
export { DepositWatcher, type DepositScanResult } from './deposit/deposit-watcher';
export { DepositWatch, DEPOSIT_SCAN_LOCK_KEY } from './deposit/deposit-watch';
export { WithdrawalFeeEstimator, type WithdrawalFeeEstimate } from './fee/withdrawal-fee.estimator';
export { withdrawalVsize } from './fee/tx-size';
export { NodeSyncProbe, syncProblem, type NodeProbeResult } from './node/node-sync.probe';
export { WithdrawalRequestSubscriber } from './withdrawal/withdrawal-request.subscriber';
export { WithdrawalSender } from './withdrawal/withdrawal-sender';
export { WithdrawalSending } from './withdrawal/withdrawal-sending';
export { WithdrawalFeeBumper, type FeeBumpResult } from './withdrawal/withdrawal-fee-bumper';
export { FeeBumpRefusedError, type FeeBumpRefusal } from './withdrawal/fee-bump.errors';
export { WITHDRAWAL_SENDER_LOCK_KEY } from './withdrawal/withdrawal-sender.lock';
export { AnchorPublisher, type PublishedAnchor } from './anchor/anchor-publisher';
export { AnchorRefusedError, type AnchorRefusal } from './anchor/anchor.errors';
export { WithdrawalDestinations } from './address/withdrawal-destinations';
export { FeeEstimateUnavailableError } from './fee/fee-estimate.errors';
export { type FeeEstimateStatus } from './fee/withdrawal-fee.estimator';
export { WalletProbe, type WalletProbeResult } from './wallet/wallet-probe';
export { ReservesCheck } from './reserves/reserves-check';
export { ReservesChecking } from './reserves/reserves-checking';
export { ReservesLedger, type ReservesPause, type ReservesAcknowledgement } from './reserves/reserves-ledger';
export { isInsufficientFunds, passesWithTime } from './rpc/node-refusals';

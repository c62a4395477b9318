export {
  BitcoinModule,
  BITCOIN_MODULE_OPTIONS,
  type BitcoinModuleOptions,
  type BitcoinModuleAsyncOptions,
  type FeeOptions,
  type NoEstimatePolicy,
} from './bitcoin.module';

// The gateway app's own domain: it injects and catches these directly.
export { BitcoinRpcClient, IDEMPOTENT_RPC_METHODS, type BitcoinRpcClientOptions, type BitcoinRpcAuth } from './features/node/bitcoin-rpc.client';
export type {
  AddressKind,
  CreateFundedPsbtInput,
  CreateRawTransactionInput,
  FundingOptions,
  EstimateMode,
  FeeRateSatPerVb,
} from './features/node/bitcoin-rpc.client';
export type * from './features/node/rpc-schemas';
export { BitcoinRpcAuthError, BitcoinRpcError, BitcoinRpcTransportError, type RpcErrorKind, type TransportFailure } from './features/node/rpc-errors';
export { JsonNumber, type LosslessJson } from './features/node/lossless-json';
export { AddressValidator, validateAddress, type AddressValidation } from './features/addresses/address-validator';
export { btcToSats, satsToBtc, MAX_MONEY_SATS, SATS_PER_BTC } from './features/node/amount';
export { DepositAddressService, type IssuedDepositAddress } from './features/deposits/deposit-address.service';
export { DepositWatcher, type DepositScanResult } from './features/deposits/deposit-scan';
export { DepositWatch, DEPOSIT_SCAN_LOCK_KEY } from './features/deposits/deposit-scan.schedule';
export { WithdrawalFeeEstimator, type WithdrawalFeeEstimate } from './features/fees/withdrawal-fee.estimator';
export { withdrawalVsize } from './features/fees/tx-size';
export { NodeSyncProbe, syncProblem, type NodeProbeResult } from './features/node/node-sync.probe';
export { WithdrawalRequestSubscriber } from './events/bitcoin.consumer';
export { WithdrawalSender } from './features/withdrawals/withdrawal-send';
export { WithdrawalSending } from './features/withdrawals/withdrawal-send.schedule';
export { WithdrawalFeeBumper, type FeeBumpResult } from './features/withdrawals/withdrawal-fee-bumper';
export { FeeBumpRefusedError, type FeeBumpRefusal } from './features/withdrawals/fee-bump.errors';
export { WITHDRAWAL_SENDER_LOCK_KEY } from './features/withdrawals/withdrawal-sender.lock';
export { AnchorPublisher, type PublishedAnchor } from './features/anchors/anchoring';
export { AnchorRefusedError, type AnchorRefusal } from './features/anchors/anchor.errors';
export { WithdrawalDestinations } from './features/addresses/withdrawal-destinations';
export { FeeEstimateUnavailableError } from './features/fees/fee-estimate.errors';
export { type FeeEstimateStatus } from './features/fees/withdrawal-fee.estimator';
export { WalletProbe, type WalletProbeResult } from './features/wallet/wallet-probe';
export { ReservesCheck } from './features/reserves/reserves-check';
export { ReservesChecking } from './features/reserves/reserves-check.schedule';
export { ReservesLedger, type ReservesPause, type ReservesAcknowledgement } from './features/reserves/reserves-ledger';
export { isInsufficientFunds, passesWithTime } from './features/node/node-refusals';

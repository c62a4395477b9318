export { freePort } from '@bitro/testing';
export { BuiltProcess, eventually } from './processes';
export { btc, DEPOSIT_CONFIRMATIONS, GATEWAY_WALLET, type Infrastructure, OUTSIDE_WALLET, System, type User } from './system';
export {
  depositAddress,
  depositOf,
  depositReaches,
  type DepositView,
  expectLedgerOk,
  fundedUser,
  paymentsTo,
  requestWithdrawal,
  withdrawalReaches,
  type WithdrawalView,
} from './wallet-flows';

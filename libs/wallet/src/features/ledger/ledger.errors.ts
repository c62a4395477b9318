/** Input the wallet can never accept (not a user id, not a positive amount, not a cursor, ...). */
export class WalletInputError extends RangeError {
  override name = 'WalletInputError';
}

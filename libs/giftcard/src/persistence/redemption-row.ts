import type { Redemption, RedemptionState } from './giftcard-prisma';

/** Every column of a redemption, as {@link redemptionFromRow} reads them: for statements that return one without the ORM. */
export const REDEMPTION_COLUMNS = `id, user_id, brand, state, pin_hash, pin_ciphertext, face_value_krw::text AS face_value_krw, fee_krw::text AS fee_krw,
  price_krw_per_btc::text AS price_krw_per_btc, amount_sats::text AS amount_sats, quote_expires_at, rejection_reason,
  limit_day::text AS limit_day, attempts, last_error, next_attempt_at, wallet_journal_id, created_at, updated_at`;

export interface RedemptionRow {
  id: string;
  user_id: string;
  brand: string;
  state: RedemptionState;
  pin_hash: string | null;
  pin_ciphertext: Buffer | null;
  face_value_krw: string | null;
  fee_krw: string | null;
  price_krw_per_btc: string | null;
  amount_sats: string | null;
  quote_expires_at: Date | null;
  rejection_reason: string | null;
  limit_day: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date | null;
  wallet_journal_id: string | null;
  created_at: Date;
  updated_at: Date;
}

const amount = (text: string | null): bigint | null => (text === null ? null : BigInt(text));

/** A row of {@link REDEMPTION_COLUMNS} as the ORM would have given it (`limit_day` as midnight UTC, amounts as bigint). */
export function redemptionFromRow(row: RedemptionRow): Redemption {
  return {
    id: row.id,
    userId: row.user_id,
    brandCode: row.brand,
    state: row.state,
    pinHash: row.pin_hash,
    pinCiphertext: row.pin_ciphertext === null ? null : new Uint8Array(row.pin_ciphertext),
    faceValueKrw: amount(row.face_value_krw),
    feeKrw: amount(row.fee_krw),
    priceKrwPerBtc: amount(row.price_krw_per_btc),
    amountSats: amount(row.amount_sats),
    quoteExpiresAt: row.quote_expires_at,
    rejectionReason: row.rejection_reason,
    limitDay: new Date(`${row.limit_day}T00:00:00.000Z`),
    attempts: row.attempts,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at,
    walletJournalId: row.wallet_journal_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

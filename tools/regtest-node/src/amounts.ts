import { RpcError, RPC } from './rpc/errors';

export const COIN = 100_000_000n;
export const MAX_MONEY = 21_000_000n * COIN;

/** A BTC amount held as satoshis; the JSON writer prints it with exactly 8 decimals, as Core does. */
export class BtcAmount {
  constructor(readonly sats: bigint) {}
}

export const btc = (sats: bigint): BtcAmount => new BtcAmount(sats);

export function formatBtc(sats: bigint): string {
  const negative = sats < 0n;
  const abs = negative ? -sats : sats;
  const whole = abs / COIN;
  const frac = (abs % COIN).toString().padStart(8, '0');
  return `${negative ? '-' : ''}${whole}.${frac}`;
}

/** Exact fixed-point parse of a decimal string with at most `decimals` decimals (Core's ParseFixedPoint). */
export function parseFixedPoint(text: string, decimals: number): bigint | null {
  const m = /^(-)?(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m) return null;
  const [, sign, intPart, fracPart = '', expPart] = m;
  let digits = intPart + fracPart;
  let scale = fracPart.length - (expPart ? Number(expPart) : 0);
  if (scale < 0) {
    digits += '0'.repeat(-scale);
    scale = 0;
  }
  // Trailing zeros beyond the allowed precision are harmless (Core accepts "1.000000000").
  while (scale > decimals && digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    scale--;
  }
  if (scale > decimals) return null;
  const value = BigInt(digits) * 10n ** BigInt(decimals - scale);
  return sign ? -value : value;
}

/** Core's AmountFromValue: a JSON number or string in BTC → satoshis. */
export function amountFromValue(value: unknown, { allowNegative = false } = {}): bigint {
  if (typeof value !== 'number' && typeof value !== 'string') throw new RpcError(RPC.TYPE_ERROR, 'Amount is not a number or string');
  // A JS number prints its shortest round-trip decimal form, which is the text a client sent for any amount up to 15 significant digits.
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  const sats = parseFixedPoint(text, 8);
  if (sats === null) throw new RpcError(RPC.TYPE_ERROR, 'Invalid amount');
  if ((!allowNegative && sats < 0n) || sats > MAX_MONEY || sats < -MAX_MONEY) throw new RpcError(RPC.TYPE_ERROR, 'Amount out of range');
  return sats;
}

/** Core's FormatMoney: at least two decimals, trailing zeros trimmed. */
export function formatMoney(sats: bigint): string {
  const negative = sats < 0n;
  const abs = negative ? -sats : sats;
  const text = `${negative ? '-' : ''}${abs / 100_000_000n}.${(abs % 100_000_000n).toString().padStart(8, '0')}`;
  return text.replace(/(\.\d\d\d*?)0+$/, '$1');
}

/** What a ticker answer says about one market. */
export interface TickerQuote {
  /** Whole KRW per 1 BTC, rounded down. */
  krwPerBtc: bigint;
  /** The trade time the ticker reports, when it reports a usable one. */
  tradedAt?: Date;
}

/** The answer is not a usable ticker; the message says what is wrong with it. */
export class TickerFormatError extends Error {
  override name = 'TickerFormatError';
}

const JSON_NUMBER = String.raw`-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?`;
/**
 * JSON.parse would turn `trade_price` into a double (140123000.99999999999 becomes 140123001), so its literal
 * is quoted before parsing and converted exactly. (Node 20 has no JSON.parse source-text access.)
 */
const TRADE_PRICE_NUMBER = new RegExp(String.raw`("trade_price"\s*:\s*)(${JSON_NUMBER})(?=\s*[,}])`, 'g');
/** A price needs at most this many whole digits; more is an absurd or hostile value. */
const MAX_WHOLE_DIGITS = 15;

/**
 * Reads the price of `market` from a ticker in Upbit's format:
 * `[{"market":"KRW-BTC","trade_price":140123000.0,"timestamp":1732450000000, ...}]`.
 */
export function parseTicker(body: string, market: string): TickerQuote {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.replace(TRADE_PRICE_NUMBER, '$1"$2"'));
  } catch {
    throw new TickerFormatError(`the answer is not JSON: ${excerpt(body)}`);
  }
  if (!Array.isArray(parsed)) throw new TickerFormatError(`expected a JSON array of tickers, got ${parsed === null ? 'null' : `a JSON ${typeof parsed}`}`);
  const entry: unknown = parsed.find((item: unknown) => isRecord(item) && item['market'] === market);
  if (!isRecord(entry)) throw new TickerFormatError(`no "${market}" entry in the ticker array`);

  const price = entry['trade_price'];
  if (typeof price !== 'string') throw new TickerFormatError(`"trade_price" of ${market} is not a number: ${JSON.stringify(price) ?? 'missing'}`);
  const krwPerBtc = wholeUnits(price);
  if (krwPerBtc === undefined) throw new TickerFormatError(`"trade_price" of ${market} is not a finite number of at most ${MAX_WHOLE_DIGITS} digits: ${excerpt(price)}`);
  if (krwPerBtc <= 0n) throw new TickerFormatError(`"trade_price" of ${market} is not positive: ${price}`);

  const timestamp = entry['timestamp'];
  const tradedAt = typeof timestamp === 'number' && Number.isSafeInteger(timestamp) && timestamp > 0 ? new Date(timestamp) : undefined;
  return tradedAt ? { krwPerBtc, tradedAt } : { krwPerBtc };
}

/** The whole part of a JSON number literal (`-1.5` → -1n, `1.4e8` → 140000000n); undefined when not one or absurdly large. */
function wholeUnits(literal: string): bigint | undefined {
  const match = /^(-?)(0|[1-9]\d*)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (!match) return undefined;
  const [, sign, integer = '', fraction = '', exponent = '0'] = match;
  const digits = (integer + fraction).replace(/^0+/, '');
  const wholeDigits = digits.length - fraction.length + Number(exponent);
  if (wholeDigits > MAX_WHOLE_DIGITS) return undefined;
  const whole = BigInt(wholeDigits <= 0 ? '0' : digits.slice(0, wholeDigits).padEnd(wholeDigits, '0'));
  return sign ? -whole : whole;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > 80 ? `${flat.slice(0, 80)}…` : flat);
}

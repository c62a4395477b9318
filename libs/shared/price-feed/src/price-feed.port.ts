/** The market price of one bitcoin in won, from wherever the deployment gets it. */
export interface BtcKrwPrice {
  /** Whole KRW per 1 BTC. */
  krwPerBtc: bigint;
  asOf: Date;
  source: string;
}

export interface PriceFeedPort {
  /** The current price; throws {@link PriceUnavailableError} when none can be had. */
  currentPrice(): Promise<BtcKrwPrice>;
}

export const PRICE_FEED = Symbol.for('bitro.PriceFeed');

export class PriceUnavailableError extends Error {
  override name = 'PriceUnavailableError';
}

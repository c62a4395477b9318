import { type BtcKrwPrice, type PriceFeedPort } from './price-feed.port';

/** Always the configured price: the development default, and a stand-in where no market data may be used. */
export class FixedPriceFeed implements PriceFeedPort {
  constructor(private readonly krwPerBtc: bigint) {
    if (krwPerBtc <= 0n) throw new RangeError(`A fixed BTC price must be positive, got ${krwPerBtc} KRW`);
  }

  async currentPrice(): Promise<BtcKrwPrice> {
    return { krwPerBtc: this.krwPerBtc, asOf: new Date(), source: 'fixed' };
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { type BtcKrwPrice, PRICE_FEED, type PriceFeedPort } from '@bitro/price-feed';

const SATS_PER_BTC = 100_000_000n;

export const satsToKrw = (sats: bigint, krwPerBtc: bigint): bigint => (sats * krwPerBtc) / SATS_PER_BTC;

/** The current BTC price for display, or null: a missing or slow feed never fails a balance. */
@Injectable()
export class KrwEstimator {
  private readonly logger = new Logger(KrwEstimator.name);

  constructor(
    @Inject(PRICE_FEED) private readonly priceFeed: PriceFeedPort,
    @Inject(BITRO_ENV) private readonly env: BitroEnv,
  ) {}

  async currentPrice(): Promise<BtcKrwPrice | null> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.priceFeed.currentPrice(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no price within ${this.env.PRICE_FEED_TIMEOUT_MS} ms`)), this.env.PRICE_FEED_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      this.logger.warn(`Balance without KRW estimate: ${(error as Error).message}`);
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}

import { Global, Logger, Module } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { FixedPriceFeed } from './fixed-price-feed.adapter';
import { HttpPriceFeed } from './http-price-feed.adapter';
import { PRICE_FEED, type PriceFeedPort } from './price-feed.port';

type PriceFeedEnv = Pick<BitroEnv, 'NODE_ENV' | 'PRICE_FEED' | 'PRICE_FEED_URL' | 'PRICE_FEED_TIMEOUT_MS' | 'FIXED_PRICE_KRW_PER_BTC'>;

/** The price feed `PRICE_FEED` names: `fixed` (FIXED_PRICE_KRW_PER_BTC) or `http` (the ticker at PRICE_FEED_URL). */
export function createPriceFeed(env: PriceFeedEnv): PriceFeedPort {
  if (env.PRICE_FEED === 'http') {
    if (!env.PRICE_FEED_URL) throw new Error('PRICE_FEED_URL is required when PRICE_FEED=http');
    return new HttpPriceFeed({ url: env.PRICE_FEED_URL, timeoutMs: env.PRICE_FEED_TIMEOUT_MS });
  }
  if (env.NODE_ENV === 'production') {
    new Logger('price-feed').warn(`PRICE_FEED=fixed in production: every quote uses ${env.FIXED_PRICE_KRW_PER_BTC} KRW per BTC`);
  }
  return new FixedPriceFeed(env.FIXED_PRICE_KRW_PER_BTC);
}

/** Provides {@link PRICE_FEED} to the whole application. */
@Global()
@Module({
  providers: [{ provide: PRICE_FEED, inject: [BITRO_ENV], useFactory: createPriceFeed }],
  exports: [PRICE_FEED],
})
export class PriceFeedModule {}

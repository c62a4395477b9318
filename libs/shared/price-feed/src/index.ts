export { PRICE_FEED, PriceUnavailableError, type BtcKrwPrice, type PriceFeedPort } from './price-feed.port';
export { FixedPriceFeed } from './fixed-price-feed.adapter';
export { HttpPriceFeed, type HttpPriceFeedOptions } from './http-price-feed.adapter';
export { PriceFeedModule, createPriceFeed } from './price-feed.module';

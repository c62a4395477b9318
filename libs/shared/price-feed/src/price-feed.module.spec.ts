import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Test } from '@nestjs/testing';
import { ConfigModule } from '@bitro/config';
import { offlineTestEnv } from '@bitro/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixedPriceFeed } from './fixed-price-feed.adapter';
import { HttpPriceFeed } from './http-price-feed.adapter';
import { PriceFeedModule } from './price-feed.module';
import { PRICE_FEED, type PriceFeedPort } from './price-feed.port';

const ticker = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' }).end('[{"market":"KRW-BTC","trade_price":139000000.5}]');
});
let tickerUrl: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => ticker.listen(0, '127.0.0.1', resolve));
  tickerUrl = `http://127.0.0.1:${(ticker.address() as AddressInfo).port}/v1/ticker`;
});
afterAll(async () => {
  ticker.closeAllConnections();
  await new Promise((resolve) => ticker.close(resolve));
});

async function priceFeedFrom(variables: Record<string, string>): Promise<PriceFeedPort> {
  const env = offlineTestEnv(variables);
  const moduleRef = await Test.createTestingModule({ imports: [ConfigModule.forRoot(env), PriceFeedModule] }).compile();
  return moduleRef.get<PriceFeedPort>(PRICE_FEED);
}

describe('FixedPriceFeed', () => {
  it('answers the configured price', async () => {
    const price = await new FixedPriceFeed(150_000_000n).currentPrice();
    expect(price).toMatchObject({ krwPerBtc: 150_000_000n, source: 'fixed' });
    expect(price.asOf).toBeInstanceOf(Date);
  });

  it('refuses a price that is not positive', () => {
    expect(() => new FixedPriceFeed(0n)).toThrow('A fixed BTC price must be positive, got 0 KRW');
  });
});

describe('PriceFeedModule', () => {
  it('provides the fixed feed by default, at FIXED_PRICE_KRW_PER_BTC', async () => {
    const feed = await priceFeedFrom({ FIXED_PRICE_KRW_PER_BTC: '150000000' });
    expect(feed).toBeInstanceOf(FixedPriceFeed);
    expect((await feed.currentPrice()).krwPerBtc).toBe(150_000_000n);
  });

  it('provides the HTTP feed at PRICE_FEED_URL when PRICE_FEED=http', async () => {
    const feed = await priceFeedFrom({ PRICE_FEED: 'http', PRICE_FEED_URL: tickerUrl, PRICE_FEED_TIMEOUT_MS: '500' });
    expect(feed).toBeInstanceOf(HttpPriceFeed);
    expect(await feed.currentPrice()).toMatchObject({ krwPerBtc: 139_000_000n, source: tickerUrl });
  });
});

import { Logger, type LoggerService } from '@nestjs/common';
import { type BtcKrwPrice, type PriceFeedPort, PriceUnavailableError } from './price-feed.port';
import { parseTicker, TickerFormatError, type TickerQuote } from './upbit-ticker';

export interface HttpPriceFeedOptions {
  /** A ticker in Upbit's format, e.g. https://api.upbit.com/v1/ticker?markets=KRW-BTC */
  url: string;
  /** Limit of one attempt, answer body included. */
  timeoutMs: number;
  /** Further attempts after a network error, timeout, 5xx or 429 (a GET is safe to repeat). Default 2. */
  retries?: number;
  /** Wait before the first retry, doubled before each next one. Default 100 ms. */
  backoffMs?: number;
  /** How long a fetched price is answered without asking the feed again. Default 5 s. */
  cacheTtlMs?: number;
  /** After a failed refresh, how long callers get the stale price (or the failure) without a new attempt. Default 1 s. */
  failureCooldownMs?: number;
  /** How old a fetched price may be and still be answered while the feed fails. Default 60 s. */
  maxStaleMs?: number;
  /** Default KRW-BTC. */
  market?: string;
  /** Milliseconds clock of the cache; tests move it. */
  now?: () => number;
  logger?: Pick<LoggerService, 'warn'>;
}

/** One attempt failed; `retryable` when another attempt may succeed. */
class AttemptFailure extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
  }
}

/**
 * The BTC price from a public KRW-BTC ticker over HTTP. A good price is cached for `cacheTtlMs` and concurrent
 * callers share one request; while the feed fails, a price fetched less than `maxStaleMs` ago is still answered.
 */
export class HttpPriceFeed implements PriceFeedPort {
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly cacheTtlMs: number;
  private readonly failureCooldownMs: number;
  private readonly maxStaleMs: number;
  private readonly market: string;
  private readonly now: () => number;
  private readonly logger: Pick<LoggerService, 'warn'>;
  private cached: { price: BtcKrwPrice; fetchedAt: number } | undefined;
  private lastFailure: { error: PriceUnavailableError; at: number } | undefined;
  private refreshing: Promise<BtcKrwPrice> | undefined;

  constructor(private readonly options: HttpPriceFeedOptions) {
    this.retries = options.retries ?? 2;
    this.backoffMs = options.backoffMs ?? 100;
    this.cacheTtlMs = options.cacheTtlMs ?? 5_000;
    this.failureCooldownMs = options.failureCooldownMs ?? 1_000;
    this.maxStaleMs = options.maxStaleMs ?? 60_000;
    this.market = options.market ?? 'KRW-BTC';
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? new Logger('price-feed');
  }

  async currentPrice(): Promise<BtcKrwPrice> {
    const now = this.now();
    if (this.cached && now - this.cached.fetchedAt < this.cacheTtlMs) return this.cached.price;
    if (this.lastFailure && now - this.lastFailure.at < this.failureCooldownMs) return this.staleOr(this.lastFailure.error, false);
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refresh(): Promise<BtcKrwPrice> {
    let quote: TickerQuote;
    try {
      quote = await this.fetchWithRetries();
    } catch (error) {
      const failure = error instanceof PriceUnavailableError ? error : new PriceUnavailableError(`Price feed ${this.options.url} failed: ${String(error)}`, { cause: error });
      this.lastFailure = { error: failure, at: this.now() };
      return this.staleOr(failure, true);
    }
    const fetchedAt = this.now();
    const price: BtcKrwPrice = { krwPerBtc: quote.krwPerBtc, asOf: quote.tradedAt ?? new Date(fetchedAt), source: this.options.url };
    this.cached = { price, fetchedAt };
    this.lastFailure = undefined;
    return price;
  }

  private staleOr(failure: PriceUnavailableError, log: boolean): BtcKrwPrice {
    const age = this.cached ? this.now() - this.cached.fetchedAt : Infinity;
    if (!this.cached || age > this.maxStaleMs) throw failure;
    if (log) this.logger.warn(`${failure.message}; answering the price fetched ${Math.round(age / 1000)} s ago`);
    return this.cached.price;
  }

  private async fetchWithRetries(): Promise<TickerQuote> {
    const failures: string[] = [];
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt();
      } catch (error) {
        if (!(error instanceof AttemptFailure)) throw error;
        if (!error.retryable) throw new PriceUnavailableError(`Price feed ${this.options.url}: ${error.message}`, { cause: error });
        failures.push(error.message);
        if (attempt >= this.retries) {
          throw new PriceUnavailableError(`Price feed ${this.options.url} failed ${failures.length} time(s): ${failures.join('; ')}`, { cause: error });
        }
        await new Promise((resolve) => setTimeout(resolve, this.backoffMs * 2 ** attempt));
      }
    }
  }

  private async attempt(): Promise<TickerQuote> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      const response = await fetch(this.options.url, { headers: { accept: 'application/json' }, signal: controller.signal });
      const body = await response.text();
      if (!response.ok) {
        throw new AttemptFailure(`HTTP ${response.status}`, response.status >= 500 || response.status === 429);
      }
      return parseTicker(body, this.market);
    } catch (error) {
      if (error instanceof AttemptFailure) throw error;
      if (error instanceof TickerFormatError) throw new AttemptFailure(`unusable ticker: ${error.message}`, false);
      if (controller.signal.aborted) throw new AttemptFailure(`timed out after ${this.options.timeoutMs} ms`, true);
      throw new AttemptFailure(`request failed: ${describeNetworkError(error)}`, true);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** fetch says only "fetch failed"; the cause says why (ECONNREFUSED, ...). */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const detail = cause && (typeof cause.code === 'string' ? cause.code : typeof cause.message === 'string' ? cause.message : undefined);
  return detail ? `${error.message} (${detail})` : error.message;
}

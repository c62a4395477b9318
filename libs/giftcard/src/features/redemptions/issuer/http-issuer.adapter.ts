import type { z } from 'zod';
import { describeIssues, ISSUER_PATHS, redeemAnswerSchema, verifyAnswerSchema } from './issuer.protocol';
import { type IssuerPort, type IssuerRedemption, IssuerRequestRejectedError, IssuerUnavailableError, type IssuerVerification } from './issuer.port';

export interface HttpIssuerOptions {
  /** e.g. https://issuer.example.com (a path prefix is kept: https://host/api → https://host/api/v1/pins/verify). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>` when set. */
  apiKey?: string;
  /** Limit of one attempt, answer body included. */
  timeoutMs: number;
  /** Further attempts after a network error, timeout, 5xx or 429. Default 2. */
  retries?: number;
  /** Wait before the first retry, doubled before each next one. Default 200 ms. */
  backoffMs?: number;
}

/** One attempt failed; `retryable` when another attempt may succeed. */
class AttemptFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly rejectedStatus?: number,
  ) {
    super(message);
  }
}

/** The card issuer over HTTP (PROTOCOL.md). Error messages name the URL and what went wrong, never the PIN. */
export class HttpIssuer implements IssuerPort {
  private readonly retries: number;
  private readonly backoffMs: number;

  constructor(private readonly options: HttpIssuerOptions) {
    this.retries = options.retries ?? 2;
    this.backoffMs = options.backoffMs ?? 200;
  }

  async verify(input: { brand: string; pin: string }): Promise<IssuerVerification> {
    // A verification uses nothing up: repeating it is always safe.
    return this.call(ISSUER_PATHS.verify, { brand: input.brand, pin: input.pin }, {}, verifyAnswerSchema);
  }

  async redeem(input: { brand: string; pin: string; reference: string }): Promise<IssuerRedemption> {
    // Repeating a redeem after a timeout or 5xx is safe ONLY because the issuer answers a repeated reference
    // (Idempotency-Key) with its first result instead of using the PIN again. 4xx answers are never repeated.
    return this.call(ISSUER_PATHS.redeem, { brand: input.brand, pin: input.pin, reference: input.reference }, { 'idempotency-key': input.reference }, redeemAnswerSchema);
  }

  private async call<S extends z.ZodType>(path: string, body: object, headers: Record<string, string>, schema: S): Promise<z.output<S>> {
    const url = this.urlOf(path);
    const failures: string[] = [];
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(url, body, headers, schema);
      } catch (error) {
        if (!(error instanceof AttemptFailure)) throw error;
        if (error.rejectedStatus !== undefined) throw new IssuerRequestRejectedError(`Issuer ${url} refused the request: ${error.message}`, error.rejectedStatus);
        if (!error.retryable) throw new IssuerUnavailableError(`Issuer ${url}: ${error.message}`, { cause: error });
        failures.push(error.message);
        if (attempt >= this.retries) throw new IssuerUnavailableError(`Issuer ${url} failed ${failures.length} time(s): ${failures.join('; ')}`, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, this.backoffMs * 2 ** attempt));
      }
    }
  }

  private async attempt<S extends z.ZodType>(url: string, body: object, headers: Record<string, string>, schema: S): Promise<z.output<S>> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
          ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
          ...headers,
        },
        body: JSON.stringify(body),
        redirect: 'manual',
        signal: controller.signal,
      });
      const text = await response.text();
      if (response.status >= 500 || response.status === 429) throw new AttemptFailure(`HTTP ${response.status}`, true);
      if (response.status >= 400) throw new AttemptFailure(`HTTP ${response.status}${problemDetail(text)}`, false, response.status);
      if (response.status !== 200) throw new AttemptFailure(`unexpected HTTP ${response.status}`, false);
      return parseAnswer(text, schema);
    } catch (error) {
      if (error instanceof AttemptFailure) throw error;
      if (controller.signal.aborted) throw new AttemptFailure(`timed out after ${this.options.timeoutMs} ms`, true);
      throw new AttemptFailure(`request failed: ${describeNetworkError(error)}`, true);
    } finally {
      clearTimeout(timer);
    }
  }

  private urlOf(path: string): string {
    const base = this.options.baseUrl.endsWith('/') ? this.options.baseUrl : `${this.options.baseUrl}/`;
    return new URL(path.slice(1), base).toString();
  }
}

function parseAnswer<S extends z.ZodType>(text: string, schema: S): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AttemptFailure(`malformed answer (not JSON): ${excerpt(text)}`, false);
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    throw new AttemptFailure(`malformed answer: ${describeIssues(result.error, 'answer')}`, false);
  }
  return result.data;
}

/** ": <detail>" of a problem+json answer, if it has one. */
function problemDetail(text: string): string {
  try {
    const problem: unknown = JSON.parse(text);
    const detail = typeof problem === 'object' && problem !== null ? (problem as { detail?: unknown }).detail : undefined;
    return typeof detail === 'string' ? ` (${excerpt(detail)})` : '';
  } catch {
    return '';
  }
}

/** fetch says only "fetch failed"; the cause says why (ECONNREFUSED, ...). */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const detail = cause && (typeof cause.code === 'string' ? cause.code : typeof cause.message === 'string' ? cause.message : undefined);
  return detail ? `${error.message} (${detail})` : error.message;
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > 120 ? `${flat.slice(0, 120)}…` : flat);
}

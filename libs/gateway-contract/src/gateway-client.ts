import type { InternalRoute, InternalRouteBody, InternalRouteResponse } from './internal-routes';
import { signRequest } from './request-signing';

export interface GatewayClientOptions {
  /** The gateway's origin, e.g. `http://127.0.0.1:3100`. */
  baseUrl: string;
  /** The HMAC secret shared with the gateway (see request-signing.ts). */
  secret: string;
  /** Budget of one call, from sending the request to reading the whole answer. */
  timeoutMs: number;
  fetch?: typeof fetch;
  /** Headers that carry the caller's trace context (`traceparent`, `tracestate`) to the gateway; outside the signature. */
  traceHeaders?: () => { traceparent?: string; tracestate?: string };
}

/** The gateway could not answer: unreachable, too slow, a 5xx, or an answer outside the contract. Worth retrying later. */
export class GatewayUnavailableError extends Error {
  override name = 'GatewayUnavailableError';

  constructor(
    readonly path: string,
    detail: string,
    /** The HTTP status when the gateway answered at all. */
    readonly status?: number,
    options?: ErrorOptions,
    /** The problem type's last segment when the gateway said why (e.g. `fee-estimate-unavailable`). */
    readonly reason?: string,
  ) {
    super(`bitcoin-gateway ${path}: ${detail}`, options);
  }
}

/** The gateway refused the request (4xx): a bad signature or a body outside the contract. Retrying the same request will not help. */
export class GatewayRejectedError extends Error {
  override name = 'GatewayRejectedError';

  constructor(
    readonly path: string,
    readonly status: number,
    /** The gateway's problem+json answer (or its text, when it is not JSON). */
    readonly problem: unknown,
  ) {
    super(`bitcoin-gateway ${path} answered ${status}${problemDetail(problem)}`);
  }
}

/** The gateway refused a valid request for one of its route's `refusals` (e.g. a fee bump it cannot make); nothing was changed. */
export class GatewayRefusedError extends Error {
  override name = 'GatewayRefusedError';

  constructor(
    readonly path: string,
    /** 409, or 422 when the input is at fault. */
    readonly status: number,
    readonly reason: string,
    readonly detail: string,
  ) {
    super(`bitcoin-gateway ${path} refused (${reason}): ${detail}`);
  }
}

/** bitro-api's client of the gateway's internal HTTP API: HMAC-signed POSTs whose answers are checked against the contract. */
export class GatewayClient {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: GatewayClientOptions) {
    if (options.secret.length === 0) throw new Error('GatewayClient needs the HMAC secret shared with the gateway');
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async call<R extends InternalRoute>(route: R, body: InternalRouteBody<R>): Promise<InternalRouteResponse<R>> {
    const url = new URL(route.path, this.options.baseUrl);
    const path = url.pathname + url.search;
    // Serialised once: the signature covers exactly these bytes.
    const raw = JSON.stringify(route.body.parse(body));
    const headers = signRequest({ method: route.method, path, body: raw, secret: this.options.secret });

    let response: Response;
    let text: string;
    try {
      response = await this.fetch(url, {
        method: route.method,
        headers: { ...this.options.traceHeaders?.(), ...headers, 'content-type': 'application/json', accept: 'application/json' },
        body: raw,
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      const detail = timedOut ? `no answer within ${this.options.timeoutMs} ms` : `unreachable (${causeOf(error)})`;
      throw new GatewayUnavailableError(route.path, detail, undefined, { cause: error });
    }

    if (response.status >= 400 && response.status < 500) {
      const problem = parseJson(text);
      throw refusalOf(route, response.status, problem) ?? new GatewayRejectedError(route.path, response.status, problem ?? text);
    }
    if (response.status !== 200) {
      const problem = parseJson(text);
      throw new GatewayUnavailableError(route.path, `answered ${response.status}${problemDetail(problem)}`, response.status, undefined, problemReason(problem));
    }
    const parsed = route.response.safeParse(parseJson(text));
    if (!parsed.success) throw new GatewayUnavailableError(route.path, 'answered outside the contract', response.status, { cause: parsed.error });
    return parsed.data as InternalRouteResponse<R>;
  }
}

/** What bitro-api's env says about the gateway (GATEWAY_URL, GATEWAY_HMAC_SECRET, GATEWAY_TIMEOUT_MS). */
export interface GatewayClientEnv {
  GATEWAY_URL: string;
  GATEWAY_HMAC_SECRET?: string;
  GATEWAY_TIMEOUT_MS: number;
}

/** The client bitro-api's env configures; null while GATEWAY_HMAC_SECRET is not set (every call would be refused). */
export function gatewayClientFromEnv(env: GatewayClientEnv, options: Pick<GatewayClientOptions, 'traceHeaders'> = {}): GatewayClient | null {
  const secret = env.GATEWAY_HMAC_SECRET;
  return secret ? new GatewayClient({ baseUrl: env.GATEWAY_URL, secret, timeoutMs: env.GATEWAY_TIMEOUT_MS, ...options }) : null;
}

/** A 409/422 problem whose type names one of the route's refusals (`.../problems/<reason>`). */
function refusalOf(route: InternalRoute, status: number, problem: unknown): GatewayRefusedError | undefined {
  if (!route.refusals || (status !== 409 && status !== 422) || typeof problem !== 'object' || problem === null) return undefined;
  const { type, detail } = problem as { type?: unknown; detail?: unknown };
  const reason = typeof type === 'string' ? route.refusals.safeParse(type.slice(type.lastIndexOf('/') + 1)) : undefined;
  if (!reason?.success) return undefined;
  return new GatewayRefusedError(route.path, status, String(reason.data), typeof detail === 'string' ? detail : '');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function problemReason(problem: unknown): string | undefined {
  const type = typeof problem === 'object' && problem !== null ? (problem as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? type.slice(type.lastIndexOf('/') + 1) : undefined;
}

function problemDetail(problem: unknown): string {
  const detail = typeof problem === 'object' && problem !== null ? (problem as { detail?: unknown }).detail : undefined;
  return typeof detail === 'string' ? `: ${detail}` : '';
}

/** Node's fetch reports the socket error (ECONNREFUSED, ...) as the cause of a generic "fetch failed". */
function causeOf(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import {
  type GatewayClient,
  gatewayClientFromEnv,
  GatewayRefusedError,
  GatewayRejectedError,
  GatewayUnavailableError,
  type InternalRoute,
  type InternalRouteBody,
  type InternalRouteResponse,
} from '@bitro/gateway-contract';
import { ProblemException } from '@bitro/http';
import { currentTraceCarrier } from '@bitro/tracing';
import { gatewayUnavailable as unavailable } from './gateway-unavailable';

/** What a caller makes of one of its route's refusals (see GatewayRefusedError). */
export type GatewayRefusal = (reason: string, detail: string, status: number) => Error;

/**
 * The wallet's calls to bitcoin-gateway's internal API. Whatever goes wrong there (down, slow, refusing our
 * signature, misconfigured) answers the user 503 `gateway-unavailable` with Retry-After; the cause is logged.
 * A route's typed refusal is the caller's to turn into an error (`refused`).
 */
@Injectable()
export class WalletGateway {
  private readonly logger = new Logger(WalletGateway.name);
  private readonly client: GatewayClient | null;

  constructor(@Inject(BITRO_ENV) env: BitroEnv) {
    this.client = gatewayClientFromEnv(env, { traceHeaders: currentTraceCarrier });
    if (!this.client) this.logger.warn('GATEWAY_HMAC_SECRET is not set: deposit addresses, withdrawals and the reserves check answer 503');
  }

  async call<R extends InternalRoute>(route: R, body: InternalRouteBody<R>, refused?: GatewayRefusal): Promise<InternalRouteResponse<R>> {
    if (!this.client) throw unavailable();
    try {
      return await this.client.call(route, body);
    } catch (error) {
      if (error instanceof GatewayRefusedError && refused) throw refused(error.reason, error.detail, error.status);
      if (error instanceof GatewayUnavailableError) {
        this.logger.warn(error.message);
        // The node has no fee estimate and the gateway's policy is to price nothing without one.
        if (error.reason === 'fee-estimate-unavailable') {
          throw new ProblemException(503, 'fee-estimate-unavailable', 'The Bitcoin network fee cannot be estimated right now, so no withdrawal can be priced; nothing was changed. Try again later.', {
            headers: { 'retry-after': '60' },
          });
        }
        throw unavailable();
      }
      if (error instanceof GatewayRejectedError || error instanceof GatewayRefusedError) {
        // Our request or our signature is wrong: an operator has to look, the user can only wait.
        this.logger.error(`${error.message}${error.status === 401 ? ' (is GATEWAY_HMAC_SECRET the gateway\'s?)' : ''}`);
        throw unavailable();
      }
      throw error;
    }
  }
}

import { Body, Controller, Inject, Logger, Query } from '@nestjs/common';
import { type AccessClaims, Principal } from '@bitro/auth';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import {
  acknowledgeReservesRoute,
  type GatewayClient,
  gatewayClientFromEnv,
  type InternalRoute,
  type InternalRouteBody,
  type InternalRouteResponse,
  reservesReportRoute,
} from '@bitro/gateway-contract';
import { type BodyOf, ProblemException, type QueryOf, Route } from '@bitro/http';
import { AUDIT_API, type AuditApi } from '@bitro/service-api';
import { acknowledgeReservesAdminRoute, getReservesRoute } from './reserves-admin.contracts';

/** The gateway's chain ↔ records check (its signed internal routes), for admins; an acknowledgement is audited. */
@Controller()
export class ReservesController {
  private readonly logger = new Logger('ReservesController');
  private readonly gateway: GatewayClient | null;

  constructor(
    @Inject(BITRO_ENV) env: BitroEnv,
    @Inject(AUDIT_API) private readonly audit: AuditApi,
  ) {
    this.gateway = gatewayClientFromEnv(env);
  }

  @Route(getReservesRoute)
  report(@Query() query: QueryOf<typeof getReservesRoute>) {
    return this.call(reservesReportRoute, { limit: query.limit });
  }

  @Route(acknowledgeReservesAdminRoute)
  async acknowledge(@Body() body: BodyOf<typeof acknowledgeReservesAdminRoute>, @Principal() admin: AccessClaims) {
    const result = await this.call(acknowledgeReservesRoute, { adminId: admin.sub, note: body.note });
    if (result.acknowledgedChecks > 0) {
      await this.audit.record(undefined, { action: 'reserves.acknowledge', actorId: admin.sub, subject: 'reserves:gateway-wallet', details: { ...result, note: body.note } });
    }
    return result;
  }

  private async call<R extends InternalRoute>(route: R, body: InternalRouteBody<R>): Promise<InternalRouteResponse<R>> {
    try {
      if (!this.gateway) throw new Error('GATEWAY_HMAC_SECRET is not set');
      return await this.gateway.call(route, body);
    } catch (error) {
      this.logger.warn(`bitcoin-gateway ${route.path}: ${(error as Error).message}`);
      throw new ProblemException(503, 'gateway-unavailable', 'The Bitcoin service cannot answer right now; nothing was changed. Try again shortly.', {
        headers: { 'retry-after': '5' },
      });
    }
  }
}

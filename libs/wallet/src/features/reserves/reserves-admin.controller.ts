import { Body, Controller, Inject, Query } from '@nestjs/common';
import { type AccessClaims, Principal } from '@bitro/auth';
import { acknowledgeReservesRoute, reservesReportRoute } from '@bitro/gateway-contract';
import { type BodyOf, type QueryOf, Route } from '@bitro/http';
import { AUDIT_API, type AuditApi } from '@bitro/service-api';
import { WalletGateway } from '../gateway/wallet-gateway';
import { acknowledgeReservesAdminRoute, getReservesRoute } from './reserves.contracts';

/**
 * bitcoin-gateway's chain ↔ records check (ADR 17), through its signed internal routes, for admins; an
 * acknowledgement is audited. A gateway that cannot answer is 503 `gateway-unavailable`.
 */
@Controller()
export class ReservesAdminController {
  constructor(
    private readonly gateway: WalletGateway,
    @Inject(AUDIT_API) private readonly audit: AuditApi,
  ) {}

  @Route(getReservesRoute)
  report(@Query() query: QueryOf<typeof getReservesRoute>) {
    return this.gateway.call(reservesReportRoute, { limit: query.limit });
  }

  @Route(acknowledgeReservesAdminRoute)
  async acknowledge(@Body() body: BodyOf<typeof acknowledgeReservesAdminRoute>, @Principal() admin: AccessClaims) {
    const result = await this.gateway.call(acknowledgeReservesRoute, { adminId: admin.sub, note: body.note });
    if (result.acknowledgedChecks > 0) {
      await this.audit.record(undefined, { action: 'reserves.acknowledge', actorId: admin.sub, subject: 'reserves:gateway-wallet', details: { ...result, note: body.note } });
    }
    return result;
  }
}

import { Body, Controller } from '@nestjs/common';
import { type acknowledgeReservesRoute, type InternalRouteBody, type InternalRouteResponse, type reservesReportRoute } from '@bitro/gateway-contract';
import { Route } from '@bitro/http';
import { reservesRoutes } from './reserves.contracts';
import { ReservesLedger } from './reserves-ledger';

@Controller()
export class ReservesController {
  constructor(private readonly ledger: ReservesLedger) {}

  @Route(reservesRoutes.report)
  async report(@Body() body: InternalRouteBody<typeof reservesReportRoute>): Promise<InternalRouteResponse<typeof reservesReportRoute>> {
    const [pause, checks] = await Promise.all([this.ledger.pause(), this.ledger.history(body.limit ?? 20)]);
    return {
      toleranceSats: String(this.ledger.toleranceSats),
      paused: pause ? { since: pause.since.toISOString(), checkId: pause.checkId, differenceSats: String(pause.differenceSats) } : null,
      checks: checks.map((check) => ({
        id: check.id,
        checkedAt: check.checkedAt.toISOString(),
        tipHeight: check.tipHeight,
        status: check.status,
        walletSats: String(check.walletSats),
        expectedSats: String(check.expectedSats),
        differenceSats: String(check.differenceSats),
        figures: check.figures as Record<string, Record<string, string | null> | string>,
        acknowledgedAt: check.acknowledgedAt?.toISOString() ?? null,
        acknowledgedBy: check.acknowledgedBy,
      })),
    };
  }

  @Route(reservesRoutes.acknowledge)
  async acknowledge(@Body() body: InternalRouteBody<typeof acknowledgeReservesRoute>): Promise<InternalRouteResponse<typeof acknowledgeReservesRoute>> {
    const { adjustedSats, acknowledgedChecks } = await this.ledger.acknowledge(body.adminId, body.note);
    return { adjustedSats: String(adjustedSats), acknowledgedChecks };
  }
}

import { Body, Controller } from '@nestjs/common';
import { AnchorPublisher, AnchorRefusedError } from '@bitro/bitcoin';
import { type InternalRouteBody, type InternalRouteResponse, publishAnchorRoute } from '@bitro/gateway-contract';
import { ProblemException, Route } from '@bitro/http';
import { internalRoute } from '../internal-api/internal-route';

const SUMMARY = 'Publish data (an audit block root) in an OP_RETURN transaction of the gateway wallet, once per reference.';

@Controller()
export class AuditAnchorController {
  constructor(private readonly publisher: AnchorPublisher) {}

  @Route(
    internalRoute(publishAnchorRoute, SUMMARY, {
      409: 'reference-conflict: the reference already anchors other data.',
      503: 'gateway-busy (a withdrawal payout awaits its broadcast), broadcast-pending, or the Bitcoin node cannot answer now. Retry later.',
    }),
  )
  async publish(@Body() body: InternalRouteBody<typeof publishAnchorRoute>): Promise<InternalRouteResponse<typeof publishAnchorRoute>> {
    try {
      return await this.publisher.publish(body.reference, body.dataHex);
    } catch (error) {
      if (!(error instanceof AnchorRefusedError)) throw error;
      if (error.reason === 'reference-conflict') throw new ProblemException(409, error.reason, error.message);
      throw new ProblemException(503, error.reason, error.message, { headers: { 'retry-after': '5' } });
    }
  }
}

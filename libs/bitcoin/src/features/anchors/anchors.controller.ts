import { Body, Controller } from '@nestjs/common';
import { type InternalRouteBody, type InternalRouteResponse, type publishAnchorRoute } from '@bitro/gateway-contract';
import { ProblemException, Route } from '@bitro/http';
import { AnchorRefusedError } from './anchor.errors';
import { anchorRoutes } from './anchors.contracts';
import { Anchoring } from './anchoring';

@Controller()
export class AnchorsController {
  constructor(private readonly anchoring: Anchoring) {}

  @Route(anchorRoutes.publish)
  async publish(@Body() body: InternalRouteBody<typeof publishAnchorRoute>): Promise<InternalRouteResponse<typeof publishAnchorRoute>> {
    try {
      return await this.anchoring.publish(body.reference, body.dataHex);
    } catch (error) {
      if (!(error instanceof AnchorRefusedError)) throw error;
      if (error.reason === 'reference-conflict') throw new ProblemException(409, error.reason, error.message);
      throw new ProblemException(503, error.reason, error.message, { headers: { 'retry-after': '5' } });
    }
  }
}

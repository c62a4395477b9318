import { Body, Controller } from '@nestjs/common';
import { DepositAddressService } from '@bitro/bitcoin';
import { type InternalRouteBody, type InternalRouteResponse, issueDepositAddressRoute } from '@bitro/gateway-contract';
import { Route } from '@bitro/http';
import { internalRoute } from '../internal-api/internal-route';

@Controller()
export class DepositAddressController {
  constructor(private readonly addresses: DepositAddressService) {}

  @Route(internalRoute(issueDepositAddressRoute, "The user's current (newest unused) deposit address; a new one only once it has received funds."))
  issue(@Body() body: InternalRouteBody<typeof issueDepositAddressRoute>): Promise<InternalRouteResponse<typeof issueDepositAddressRoute>> {
    return this.addresses.issue(body.userId);
  }
}

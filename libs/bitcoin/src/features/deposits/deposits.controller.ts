import { Body, Controller } from '@nestjs/common';
import { type InternalRouteBody, type InternalRouteResponse, type issueDepositAddressRoute } from '@bitro/gateway-contract';
import { Route } from '@bitro/http';
import { DepositAddressService } from './deposit-address.service';
import { depositRoutes } from './deposits.contracts';

@Controller()
export class DepositsController {
  constructor(private readonly addresses: DepositAddressService) {}

  @Route(depositRoutes.issueAddress)
  issue(@Body() body: InternalRouteBody<typeof issueDepositAddressRoute>): Promise<InternalRouteResponse<typeof issueDepositAddressRoute>> {
    return this.addresses.issue(body.userId);
  }
}

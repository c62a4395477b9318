import { Body, Controller } from '@nestjs/common';
import { type InternalRouteBody, type InternalRouteResponse, type validateAddressRoute } from '@bitro/gateway-contract';
import { Route } from '@bitro/http';
import { addressRoutes } from './addresses.contracts';
import { WithdrawalDestinations } from './withdrawal-destinations';

const SEGWIT_TYPES = new Set(['p2wpkh', 'p2wsh', 'p2tr', 'witness_unknown']);

@Controller()
export class AddressesController {
  constructor(private readonly destinations: WithdrawalDestinations) {}

  /** 200 either way, as the contract says: an invalid address is an answer, not a bad request. */
  @Route(addressRoutes.validate)
  validate(@Body() body: InternalRouteBody<typeof validateAddressRoute>): InternalRouteResponse<typeof validateAddressRoute> {
    // Surrounding whitespace is a copy-paste accident, not part of the address.
    const address = body.address.trim();
    const result = this.destinations.check(address);
    if (!result.valid) return result;
    // Bech32 is case-insensitive; Core prints it lower-case.
    return { ...result, address: SEGWIT_TYPES.has(result.type) ? address.toLowerCase() : address };
  }
}

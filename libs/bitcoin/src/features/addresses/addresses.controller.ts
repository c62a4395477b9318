import { Body, Controller } from '@nestjs/common';
import { WithdrawalDestinations } from '@bitro/bitcoin';
import { type InternalRouteBody, type InternalRouteResponse, validateAddressRoute } from '@bitro/gateway-contract';
import { Route } from '@bitro/http';
import { internalRoute } from '../internal-api/internal-route';

const SEGWIT_TYPES = new Set(['p2wpkh', 'p2wsh', 'p2tr', 'witness_unknown']);

@Controller()
export class AddressValidationController {
  constructor(private readonly destinations: WithdrawalDestinations) {}

  /** 200 either way, as the contract says: an invalid address is an answer, not a bad request. */
  @Route(internalRoute(validateAddressRoute, "Whether the gateway pays withdrawals to an address (Bitcoin Core accepts it, and not everyone could spend it), and if not why."))
  validate(@Body() body: InternalRouteBody<typeof validateAddressRoute>): InternalRouteResponse<typeof validateAddressRoute> {
    // Surrounding whitespace is a copy-paste accident, not part of the address.
    const address = body.address.trim();
    const result = this.destinations.check(address);
    if (!result.valid) return result;
    // Bech32 is case-insensitive; Core prints it lower-case.
    return { ...result, address: SEGWIT_TYPES.has(result.type) ? address.toLowerCase() : address };
  }
}

import { SetMetadata } from '@nestjs/common';

export const UNSIGNED_ROUTE = 'bitro:gateway-unsigned';

/** Exempts a controller or route from request signing: only the health probes, which reveal nothing. */
export const Unsigned = (): ClassDecorator & MethodDecorator => SetMetadata(UNSIGNED_ROUTE, true);

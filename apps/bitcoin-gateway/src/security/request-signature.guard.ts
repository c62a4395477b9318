import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GATEWAY_ENV, type GatewayEnv } from '@bitro/config';
import { SIGNATURE_HEADER, verifyRequest } from '@bitro/gateway-contract';
import { ProblemException } from '@bitro/http';
import type { FastifyRequest } from 'fastify';
import type { RawBodyRequest } from './raw-json-parser';
import { UNSIGNED_ROUTE } from './unsigned.decorator';

/**
 * Every route not marked {@link Unsigned} requires bitro-api's HMAC signature (libs/gateway-contract),
 * computed over the exact body bytes received, within the replay window. Fails closed: a new route is signed.
 */
@Injectable()
export class RequestSignatureGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(UNSIGNED_ROUTE, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & RawBodyRequest>();
    const result = verifyRequest({
      method: request.method,
      path: request.url,
      body: request.rawBody ?? '',
      headers: request.headers,
      secret: this.env.GATEWAY_HMAC_SECRET,
      replayWindowSeconds: this.env.GATEWAY_HMAC_WINDOW_SECONDS,
    });
    if (result.ok) return true;
    throw new ProblemException(401, result.reason, `The request is not signed correctly: ${result.message}.`, {
      headers: { 'www-authenticate': `Bitro-HMAC realm="bitcoin-gateway", header="${SIGNATURE_HEADER}"` },
    });
  }
}

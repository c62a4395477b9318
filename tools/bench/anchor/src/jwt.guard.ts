import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import jwt from 'jsonwebtoken';

/** Every request needs `Authorization: Bearer <HS256 JWT signed with JWT_SECRET>`. */
@Injectable()
export class JwtGuard implements CanActivate {
  // A KeyObject, as the product's verifier holds: given a string, jsonwebtoken tries to parse it as a PEM key on every call.
  private readonly secret = createSecretKey(Buffer.from(process.env['JWT_SECRET'] ?? ''));

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization ?? '';
    if (!header.startsWith('Bearer ')) throw new UnauthorizedException();
    try {
      jwt.verify(header.slice('Bearer '.length), this.secret, { algorithms: ['HS256'] });
      return true;
    } catch {
      throw new UnauthorizedException();
    }
  }
}

import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import jwt from 'jsonwebtoken';

/** Every request needs `Authorization: Bearer <HS256 JWT signed with JWT_SECRET>`. */
@Injectable()
export class JwtGuard implements CanActivate {
  private readonly secret = process.env['JWT_SECRET'] ?? '';

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

import { Controller, Get, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtGuard } from './jwt.guard';

const ANSWER = { ok: true, service: 'anchor' };

@Controller()
export class AnchorController {
  @Get('anchor')
  answer(): typeof ANSWER {
    return ANSWER;
  }
}

@Module({ controllers: [AnchorController], providers: [{ provide: APP_GUARD, useClass: JwtGuard }] })
export class AnchorModule {}

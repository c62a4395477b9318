import { Module } from '@nestjs/common';
import { DeadLettersController } from './dead-letters/dead-letters.controller';

/**
 * The admin back office (role `admin` on every route, under /v1/admin). So far: dead-lettered events.
 * Needs the global MessagingModule.
 */
@Module({ controllers: [DeadLettersController] })
export class AdminModule {}

import { Module } from '@nestjs/common';
import { ReservesController } from './reserves.controller';

/**
 * `GET /v1/admin/reserves` and `POST /v1/admin/reserves/acknowledge`: bitcoin-gateway's chain ↔ records check through
 * its signed internal routes (ADR 17). Needs BITRO_ENV (GATEWAY_URL, GATEWAY_HMAC_SECRET) and AUDIT_API.
 */
@Module({ controllers: [ReservesController] })
export class ReservesAdminModule {}

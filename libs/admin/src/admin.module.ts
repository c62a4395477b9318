import { Module } from '@nestjs/common';
import { DeadLettersController } from './dead-letters/dead-letters.controller';
import { RedemptionReviewController } from './redemptions/redemption-review.controller';
import { UsersController } from './users/users.controller';
import { WithdrawalsController } from './withdrawals/withdrawals.controller';

/**
 * The admin back office (role `admin` on every route, under /v1/admin): dead-lettered events, users (search, freeze),
 * review of flagged redemptions, withdrawals awaiting approval and fee bumps. Needs the global MessagingModule and
 * USER_ADMIN_API, WALLET_API, GIFTCARD_ADMIN_API, WALLET_ADMIN_API, AUDIT_API.
 */
@Module({ controllers: [DeadLettersController, UsersController, RedemptionReviewController, WithdrawalsController] })
export class AdminModule {}

import { Body, Controller } from '@nestjs/common';
import { type AccessClaims, Principal } from '@bitro/auth';
import { type BodyOf, Route } from '@bitro/http';
import type { UserView } from '@bitro/service-api';
import { MyAccount } from '../me/my-account';
import { resendVerificationRoute, verifyEmailRoute } from './email-verification.contracts';
import { EmailVerification } from './email-verification';

@Controller()
export class EmailVerificationController {
  constructor(
    private readonly verification: EmailVerification,
    private readonly me: MyAccount,
  ) {}

  @Route(verifyEmailRoute)
  async verify(@Principal() principal: AccessClaims, @Body() body: BodyOf<typeof verifyEmailRoute>): Promise<UserView> {
    await this.verification.verify(principal.sub, body.code);
    return this.me.get(principal.sub);
  }

  @Route(resendVerificationRoute)
  async resend(@Principal() principal: AccessClaims): Promise<{ expiresAt: string }> {
    return { expiresAt: (await this.verification.resend(principal.sub)).toISOString() };
  }
}

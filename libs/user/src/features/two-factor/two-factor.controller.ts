import { Body, Controller } from '@nestjs/common';
import { type AccessClaims, Principal, secondFactorProblem } from '@bitro/auth';
import { type BodyOf, Route } from '@bitro/http';
import { SecondFactorError } from '@bitro/service-api';
import { beginTwoFactorRoute, confirmTwoFactorRoute, removeTwoFactorRoute } from './two-factor.contracts';
import { type Enrolment, TwoFactor } from './two-factor';

const asProblem = (error: unknown): unknown => (error instanceof SecondFactorError ? secondFactorProblem(error.reason, { in: 'body', pointer: '/code' }) : error);

@Controller()
export class TwoFactorController {
  constructor(private readonly twoFactor: TwoFactor) {}

  @Route(beginTwoFactorRoute)
  begin(@Principal() principal: AccessClaims): Promise<Enrolment> {
    return this.twoFactor.begin(principal.sub);
  }

  @Route(confirmTwoFactorRoute)
  async confirm(@Principal() principal: AccessClaims, @Body() body: BodyOf<typeof confirmTwoFactorRoute>): Promise<{ recoveryCodes: string[] }> {
    const recoveryCodes = await this.twoFactor.confirm(principal.sub, body.code).catch((error: unknown) => {
      throw asProblem(error);
    });
    return { recoveryCodes };
  }

  @Route(removeTwoFactorRoute)
  async remove(@Principal() principal: AccessClaims, @Body() body: BodyOf<typeof removeTwoFactorRoute>): Promise<void> {
    await this.twoFactor.remove(principal.sub, body.code).catch((error: unknown) => {
      throw asProblem(error);
    });
  }
}

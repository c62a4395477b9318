import { Body, Controller } from '@nestjs/common';
import { type AccessClaims, Principal } from '@bitro/auth';
import { type BodyOf, Route } from '@bitro/http';
import type { UserView } from '@bitro/service-api';
import { getMeRoute, updateMeRoute } from './me.contracts';
import { MyAccount } from './my-account';

@Controller()
export class MeController {
  constructor(private readonly me: MyAccount) {}

  @Route(getMeRoute)
  get(@Principal() principal: AccessClaims): Promise<UserView> {
    return this.me.get(principal.sub);
  }

  @Route(updateMeRoute)
  update(@Principal() principal: AccessClaims, @Body() body: BodyOf<typeof updateMeRoute>): Promise<UserView> {
    return this.me.update(principal.sub, body);
  }
}

import { Body, Controller, Headers, Ip } from '@nestjs/common';
import { type BodyOf, Route } from '@bitro/http';
import { loginRoute, logoutRoute, refreshRoute, type Session, type SignupAccepted, signupRoute } from './auth.contracts';
import { Authentication } from './authentication';

@Controller()
export class AuthController {
  constructor(private readonly auth: Authentication) {}

  @Route(signupRoute)
  signup(@Body() body: BodyOf<typeof signupRoute>, @Headers('user-agent') userAgent: string | undefined, @Ip() ip: string): Promise<SignupAccepted> {
    return this.auth.signup(body, { userAgent: userAgent ?? '', ip });
  }

  @Route(loginRoute)
  login(@Body() body: BodyOf<typeof loginRoute>, @Headers('user-agent') userAgent: string | undefined, @Ip() ip: string): Promise<Session> {
    return this.auth.login(body, { userAgent: userAgent ?? '', ip });
  }

  @Route(refreshRoute)
  refresh(@Body() body: BodyOf<typeof refreshRoute>): Promise<Session> {
    return this.auth.refresh(body.refreshToken);
  }

  @Route(logoutRoute)
  logout(@Body() body: BodyOf<typeof logoutRoute>): Promise<void> {
    return this.auth.logout(body.refreshToken);
  }
}

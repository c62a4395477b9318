import { Module } from '@nestjs/common';
import { USER_ADMIN_API, USER_API, USER_PROVISIONING_API } from '@bitro/service-api';
import { UserAdminService } from './admin/user-admin.service';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { PasswordHasher } from './auth/password-hasher';
import { KnownDevices } from './devices/known-devices';
import { MeController } from './me/me.controller';
import { MeService } from './me/me.service';
import { UserPrisma } from './persistence/user-prisma';
import { UserProvisioningService } from './provisioning/user-provisioning.service';
import { Sessions } from './sessions/sessions';
import { AuthThrottles } from './throttle/auth-throttles';
import { TwoFactor } from './two-factor/two-factor';
import { TwoFactorController } from './two-factor/two-factor.controller';
import { UserApiService } from './user-api.service';
import { EmailVerification } from './verification/email-verification';
import { EmailVerificationController } from './verification/email-verification.controller';

/**
 * The user domain (accounts, sessions, throttling, e-mail verification, TOTP second factor, known devices). Other
 * domains use it only through `USER_API`. It announces new-device logins and verification codes through the Outbox,
 * so the application must import MessagingModule (global), records freezes and two-factor changes through AUDIT_API,
 * and ends sessions through AuthModule's SessionRevocations.
 */
@Module({
  controllers: [AuthController, MeController, EmailVerificationController, TwoFactorController],
  providers: [
    UserPrisma,
    PasswordHasher,
    AuthThrottles,
    Sessions,
    TwoFactor,
    EmailVerification,
    AuthService,
    KnownDevices,
    MeService,
    { provide: USER_API, useClass: UserApiService },
    { provide: USER_PROVISIONING_API, useClass: UserProvisioningService },
    { provide: USER_ADMIN_API, useClass: UserAdminService },
  ],
  exports: [USER_API, USER_PROVISIONING_API, USER_ADMIN_API],
})
export class UserModule {}

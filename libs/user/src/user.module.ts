import { Module } from '@nestjs/common';
import { USER_API, USER_PROVISIONING_API } from '@bitro/service-api';
import { UserApiService } from './api/user-api.service';
import { UserProvisioningApiService } from './api/user-provisioning-api.service';
import { AuthController } from './features/auth/auth.controller';
import { Authentication } from './features/auth/authentication';
import { KnownDevices } from './features/auth/known-devices';
import { PasswordHasher } from './features/auth/password-hasher';
import { EmailVerification } from './features/email-verification/email-verification';
import { EmailVerificationController } from './features/email-verification/email-verification.controller';
import { MeController } from './features/me/me.controller';
import { MyAccount } from './features/me/my-account';
import { Sessions } from './features/sessions/sessions';
import { AuthThrottles } from './features/throttles/auth-throttles';
import { TwoFactor } from './features/two-factor/two-factor';
import { TwoFactorController } from './features/two-factor/two-factor.controller';
import { UserDirectory } from './features/users/user-directory';
import { UserFreezing } from './features/users/user-freezing';
import { UsersAdminController } from './features/users/users-admin.controller';
import { UserPrisma } from './persistence/user-prisma';
import { UserViews } from './persistence/user-view';

/**
 * The user domain (accounts, sessions, throttling, e-mail verification, TOTP second factor, known devices, and the
 * admin routes on users: search, view, freeze). Other domains use it only through `USER_API`; operator tooling
 * creates admins through `USER_PROVISIONING_API`. It announces new-device logins and verification codes through the
 * Outbox, so the application must import MessagingModule (global), records freezes, two-factor changes and admin
 * reads through AUDIT_API, shows an admin the user's balance through WALLET_API, and ends sessions through
 * AuthModule's SessionRevocations.
 */
@Module({
  controllers: [AuthController, MeController, EmailVerificationController, TwoFactorController, UsersAdminController],
  providers: [
    UserPrisma,
    UserViews,
    PasswordHasher,
    AuthThrottles,
    Sessions,
    TwoFactor,
    EmailVerification,
    Authentication,
    KnownDevices,
    MyAccount,
    UserDirectory,
    UserFreezing,
    { provide: USER_API, useClass: UserApiService },
    { provide: USER_PROVISIONING_API, useClass: UserProvisioningApiService },
  ],
  exports: [USER_API, USER_PROVISIONING_API],
})
export class UserModule {}

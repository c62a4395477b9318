import { Module } from '@nestjs/common';
import { USER_ADMIN_API, USER_API, USER_PROVISIONING_API } from '@bitro/service-api';
import { UserAdminService } from './admin/user-admin.service';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { LoginThrottle } from './auth/login-throttle';
import { PasswordHasher } from './auth/password-hasher';
import { KnownDevices } from './devices/known-devices';
import { MeController } from './me/me.controller';
import { MeService } from './me/me.service';
import { UserPrisma } from './persistence/user-prisma';
import { UserProvisioningService } from './provisioning/user-provisioning.service';
import { UserApiService } from './user-api.service';

/**
 * The user domain (accounts, sessions, login throttling, known devices). Other domains use it only through `USER_API`.
 * It announces logins from new devices through the Outbox, so the application must import MessagingModule (global), and
 * records admins' freezes and unfreezes through AUDIT_API.
 */
@Module({
  controllers: [AuthController, MeController],
  providers: [
    UserPrisma,
    PasswordHasher,
    LoginThrottle,
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

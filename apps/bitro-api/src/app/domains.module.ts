import { Global, Module } from '@nestjs/common';
import { AdminModule } from '@bitro/admin';
import { AuditModule } from '@bitro/audit';
import { GiftcardModule } from '@bitro/giftcard';
import { ImageModule } from '@bitro/image';
import { NotificationModule } from '@bitro/notification';
import { UserModule } from '@bitro/user';
import { WalletModule } from '@bitro/wallet';
import { adminStandingProvider } from './admin-standing.provider';

const DOMAINS = [UserModule, WalletModule, GiftcardModule, AdminModule, ImageModule, AuditModule, NotificationModule];

/**
 * Every domain module, re-exported globally: a domain's service-api token (USER_API, WALLET_API, ...)
 * can then be injected in any other domain without that domain importing it. Also ADMIN_STANDING, for the access
 * guard of admin routes.
 */
@Global()
@Module({ imports: DOMAINS, providers: [adminStandingProvider], exports: [...DOMAINS, adminStandingProvider] })
export class DomainsModule {}

import { Body, Controller, Inject, Param, Query } from '@nestjs/common';
import { type AccessClaims, Principal } from '@bitro/auth';
import { type BodyOf, type ParamsOf, ProblemException, type QueryOf, Route } from '@bitro/http';
import { AUDIT_API, type AuditApi, WALLET_API, type WalletApi } from '@bitro/service-api';
import { UserDirectory } from './user-directory';
import { AdminUserNotFoundError, CannotFreezeSelfError, UserFreezing } from './user-freezing';
import { freezeUserRoute, getUserRoute, searchUsersRoute, unfreezeUserRoute, type UserStatusChange } from './users.contracts';

const notFound = (id: string) => new ProblemException(404, 'user-not-found', `No user has the id ${id}.`);

/** Support's view of users, and freezing them. Reads of personal data are audited like the changes. */
@Controller()
export class UsersAdminController {
  constructor(
    private readonly directory: UserDirectory,
    private readonly freezing: UserFreezing,
    @Inject(WALLET_API) private readonly wallet: WalletApi,
    @Inject(AUDIT_API) private readonly audit: AuditApi,
  ) {}

  @Route(searchUsersRoute)
  async search(@Query() query: QueryOf<typeof searchUsersRoute>, @Principal() admin: AccessClaims) {
    const page = await this.directory.search(query);
    // JSON of the query as given: undefined filters are left out.
    const details = JSON.parse(JSON.stringify(query)) as Record<string, unknown>;
    await this.audit.record(undefined, { action: 'user.search', actorId: admin.sub, subject: 'users', details });
    return page;
  }

  @Route(getUserRoute)
  async get(@Param() params: ParamsOf<typeof getUserRoute>, @Principal() admin: AccessClaims) {
    const user = await this.directory.get(params.id);
    if (!user) throw notFound(params.id);
    const balance = await this.wallet.balance(user.id);
    await this.audit.record(undefined, { action: 'user.view', actorId: admin.sub, subject: `user:${user.id}` });
    return { ...user, wallet: { availableSats: balance.availableSats.toString(), heldSats: balance.heldSats.toString() } };
  }

  @Route(freezeUserRoute)
  freeze(@Param() params: ParamsOf<typeof freezeUserRoute>, @Body() body: BodyOf<typeof freezeUserRoute>, @Principal() admin: AccessClaims): Promise<UserStatusChange> {
    return this.change(() => this.freezing.freeze({ userId: params.id, actorId: admin.sub, reason: body.reason }));
  }

  @Route(unfreezeUserRoute)
  unfreeze(@Param() params: ParamsOf<typeof unfreezeUserRoute>, @Body() body: BodyOf<typeof unfreezeUserRoute>, @Principal() admin: AccessClaims): Promise<UserStatusChange> {
    return this.change(() => this.freezing.unfreeze({ userId: params.id, actorId: admin.sub, reason: body.reason }));
  }

  private async change(work: () => Promise<UserStatusChange>): Promise<UserStatusChange> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof AdminUserNotFoundError) throw notFound(error.userId);
      if (error instanceof CannotFreezeSelfError) throw new ProblemException(409, 'cannot-freeze-self', 'An admin may not freeze or unfreeze their own account.');
      throw error;
    }
  }
}

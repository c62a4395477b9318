import { Inject, Injectable } from '@nestjs/common';
import { AUDIT_API, type AuditApi, type UserStatus } from '@bitro/service-api';
import { UserPrisma } from '../../persistence/user-prisma';
import { Sessions } from '../sessions/sessions';
import { toAdminUserView } from './admin-user-view';
import { type UserStatusChange, type UserStatusChangeInput, userStatusChangeInputSchema } from './users.contracts';

export class AdminUserNotFoundError extends Error {
  override name = 'AdminUserNotFoundError';

  constructor(readonly userId: string) {
    super(`No user has the id ${userId}`);
  }
}

/** An admin tried to freeze their own account. */
export class CannotFreezeSelfError extends Error {
  override name = 'CannotFreezeSelfError';

  constructor(readonly userId: string) {
    super('An admin may not freeze their own account');
  }
}

/**
 * Freezing and unfreezing users. The caller checks the admin role; each change is written to the audit trail in the
 * same transaction as the change.
 */
@Injectable()
export class UserFreezing {
  constructor(
    private readonly prisma: UserPrisma,
    @Inject(AUDIT_API) private readonly audit: AuditApi,
    private readonly sessions: Sessions,
  ) {}

  /**
   * Redeeming and withdrawing are refused from then on (signing in and reading are not). Also ends every session of
   * the user, so its access tokens stop working at once. Throws {@link AdminUserNotFoundError} and {@link CannotFreezeSelfError}.
   */
  async freeze(input: UserStatusChangeInput): Promise<UserStatusChange> {
    const change = await this.changeStatus('frozen', input);
    if (change.changed) await this.sessions.endAll(change.user.id);
    return change;
  }

  /** Makes a frozen user active again. Throws {@link AdminUserNotFoundError} and {@link CannotFreezeSelfError}. */
  unfreeze(input: UserStatusChangeInput): Promise<UserStatusChange> {
    return this.changeStatus('active', input);
  }

  /** Locks the user, changes the status and records the admin action, all in one transaction; a no-op when already there. */
  private async changeStatus(target: UserStatus, input: UserStatusChangeInput): Promise<UserStatusChange> {
    const { userId, actorId, reason } = userStatusChangeInputSchema.parse(input);
    // Nobody decides about their own account: freezing oneself by mistake would lock the admin routes to oneself.
    if (userId === actorId) throw new CannotFreezeSelfError(userId);
    return this.prisma.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM "user"."users" WHERE id = ${userId}::uuid FOR UPDATE`;
      if (locked.length === 0) throw new AdminUserNotFoundError(userId);
      const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
      if (user.status === target) return { user: toAdminUserView(user), changed: false };
      const frozen = target === 'frozen';
      const updated = await tx.user.update({
        where: { id: userId },
        data: { status: target, frozenAt: frozen ? new Date() : null, frozenReason: frozen ? reason : null },
      });
      await this.audit.record(tx, { action: frozen ? 'user.freeze' : 'user.unfreeze', actorId, subject: `user:${userId}`, details: { reason } });
      return { user: toAdminUserView(updated), changed: true };
    });
  }
}

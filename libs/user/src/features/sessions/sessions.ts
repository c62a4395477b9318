import { Injectable } from '@nestjs/common';
import { type SessionRecord, SessionRevocations } from '@bitro/auth';
import { type UserDb, UserPrisma } from '../../persistence/user-prisma';

/**
 * Ends sessions (refresh-token families) for good: their refresh tokens are revoked in PostgreSQL, the record of ended
 * sessions, and their ids go to {@link SessionRevocations}, so their unexpired access tokens stop working at once too.
 */
@Injectable()
export class Sessions implements SessionRecord {
  constructor(
    private readonly prisma: UserPrisma,
    private readonly revocations: SessionRevocations,
  ) {
    revocations.attachRecord(this);
  }

  async endedSince(since: Date): Promise<Array<{ sessionId: string; endedAt: Date }>> {
    return this.prisma.$queryRaw<Array<{ sessionId: string; endedAt: Date }>>`
      SELECT family_id::text AS "sessionId", max(revoked_at) AS "endedAt" FROM "user".refresh_tokens
      WHERE revoked_at >= ${since} GROUP BY family_id`;
  }

  async isEnded(sessionId: string): Promise<boolean> {
    const [row] = await this.prisma.$queryRaw<Array<{ ended: boolean }>>`
      SELECT EXISTS (SELECT 1 FROM "user".refresh_tokens WHERE family_id = ${sessionId}::uuid AND revoked_at IS NOT NULL) AS ended`;
    return row?.ended ?? false;
  }

  /** Revokes the family's refresh tokens through `db` (e.g. the caller's transaction); call {@link announce} after it commits. */
  async revokeFamily(db: UserDb, familyId: string): Promise<void> {
    await db.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  async announce(familyIds: Iterable<string>): Promise<void> {
    await this.revocations.revoke(familyIds);
  }

  async endFamily(familyId: string): Promise<void> {
    await this.revokeFamily(this.prisma, familyId);
    await this.announce([familyId]);
  }

  /** Every session of the user (password change, freeze, promotion to admin). */
  async endAll(userId: string): Promise<void> {
    const open = await this.prisma.refreshToken.findMany({ where: { userId, revokedAt: null }, select: { familyId: true }, distinct: ['familyId'] });
    await this.prisma.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
    await this.announce(open.map((row) => row.familyId));
  }
}

import { Injectable } from '@nestjs/common';
import { Outbox, type SqlExecutor } from '@bitro/messaging';
import { userLoginNewDeviceV1 } from '@bitro/service-api';
import { createHash } from 'node:crypto';
import type { UserTx } from '../../persistence/user-prisma';

const MAX_USER_AGENT = 300;

/** A device is its User-Agent, kept only as a SHA-256 hash. */
export const deviceHashOf = (userAgent: string): string => createHash('sha256').update(userAgent).digest('hex');

export interface SignInContext {
  userAgent: string;
  ip: string;
}

/** Remembers the devices each user signs in from, and announces a sign-in from a new one. */
@Injectable()
export class KnownDevices {
  constructor(private readonly outbox: Outbox) {}

  /**
   * In the signup's or login's transaction: a device not seen before is remembered and, unless it is the
   * account's first device ever (signup, or a first login), `user.login-new-device.v1` goes into the outbox.
   * True when it was announced.
   */
  async signedIn(tx: UserTx, userId: string, context: SignInContext): Promise<boolean> {
    const deviceHash = deviceHashOf(context.userAgent);
    const known = await tx.knownDevice.count({ where: { userId } });
    const inserted = await tx.knownDevice.createMany({ data: [{ userId, deviceHash }], skipDuplicates: true });
    if (inserted.count === 0) {
      await tx.knownDevice.update({ where: { userId_deviceHash: { userId, deviceHash } }, data: { lastSeenAt: new Date() } });
      return false;
    }
    if (known === 0) return false;
    await this.outbox.append(tx as unknown as SqlExecutor, userLoginNewDeviceV1, {
      userId,
      userAgent: context.userAgent.slice(0, MAX_USER_AGENT),
      ip: context.ip.slice(0, 64),
    });
    return true;
  }
}

import { Injectable } from '@nestjs/common';
import argon2 from 'argon2';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

@Injectable()
export class PasswordHasher {
  /**
   * Verified against when the e-mail is unknown, so both failures take the same time. Made by the first verify (of
   * either kind), not at start: an argon2 hash takes 19 MiB, which the allocator then keeps for the life of the process.
   */
  private decoy: Promise<string> | undefined;

  hash(password: string): Promise<string> {
    return argon2.hash(password, OPTIONS);
  }

  async verify(hash: string | undefined, password: string): Promise<boolean> {
    const decoy = await (this.decoy ??= argon2.hash('decoy password that matches nothing', OPTIONS));
    if (hash === undefined) {
      await argon2.verify(decoy, password);
      return false;
    }
    return argon2.verify(hash, password);
  }
}

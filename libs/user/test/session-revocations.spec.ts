import { SessionRevocations } from '@bitro/auth';
import { createRedis } from '@bitro/db';
import type { ModuleTest } from '@bitro/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Authentication } from '../src/features/auth/authentication';
import { Sessions } from '../src/features/sessions/sessions';
import { startUserModule } from './user-module-test';

// Another replica: its own view and Redis connection, on the same record (PostgreSQL) and channel.
async function startReplica(mod: ModuleTest): Promise<{ revocations: SessionRevocations; record: { isEnded: ReturnType<typeof vi.spyOn> }; close: () => Promise<void> }> {
  const redis = createRedis(mod.env.REDIS_URL);
  const revocations = new SessionRevocations(redis, mod.env);
  const sessions = mod.app.get(Sessions);
  const record = { endedSince: sessions.endedSince.bind(sessions), isEnded: vi.fn(sessions.isEnded.bind(sessions)) };
  revocations.attachRecord(record);
  await revocations.onApplicationBootstrap();
  return {
    revocations,
    record: { isEnded: record.isEnded },
    close: async () => {
      await revocations.onApplicationShutdown();
      redis.disconnect();
    },
  };
}

const sidOf = (accessToken: string): string => JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString()).sid;

let mod: ModuleTest;
const device = { userAgent: 'test', ip: '192.0.2.1' };

beforeAll(async () => {
  mod = await startUserModule();
  await mod.app.get(Authentication).signup({ email: 'replicas@example.com', password: 'replica password', displayName: 'R' }, device);
});

afterAll(async () => {
  await mod?.close();
});

describe('SessionRevocations across replicas', () => {
  it('refuses a session ended on one replica at once on another, from its in-process view', async () => {
    const auth = mod.app.get(Authentication);
    const replica = await startReplica(mod);
    try {
      const session = await auth.login({ email: 'replicas@example.com', password: 'replica password' }, device);
      const sid = sidOf(session.accessToken);
      expect(await replica.revocations.isRevoked(sid)).toBe(false);
      await auth.logout(session.refreshToken);
      await vi.waitFor(async () => expect(await replica.revocations.isRevoked(sid)).toBe(true), { timeout: 2_000, interval: 10 });
      // Synced and subscribed: the view answers without asking the record.
      expect(replica.record.isEnded).not.toHaveBeenCalled();
    } finally {
      await replica.close();
    }
  });

  it('rebuilds the view from the record on start, and asks the record while its channel is down', async () => {
    const auth = mod.app.get(Authentication);
    const session = await auth.login({ email: 'replicas@example.com', password: 'replica password' }, device);
    await auth.logout(session.refreshToken);
    const replica = await startReplica(mod);
    expect(await replica.revocations.isRevoked(sidOf(session.accessToken))).toBe(true);
    expect(replica.record.isEnded).not.toHaveBeenCalled();

    const open = await auth.login({ email: 'replicas@example.com', password: 'replica password' }, device);
    await replica.close();
    expect(await replica.revocations.isRevoked(sidOf(open.accessToken))).toBe(false);
    expect(replica.record.isEnded).toHaveBeenCalledTimes(1);
  });
});

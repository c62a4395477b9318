import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { REDIS } from '@bitro/db';
import type { Redis } from 'ioredis';
import type { SessionRecord } from './session-record';

// A revoked session's access tokens may still be unexpired for ACCESS_TOKEN_TTL_SECONDS; a minute more covers clock skew.
const SKEW_SECONDS = 60;
// How long start-up waits for the first sync before serving from the record instead.
const FIRST_SYNC_WAIT_MS = 2_000;

/**
 * Sessions (refresh-token families, the `sid` of access tokens) ended before their access tokens expire: logout,
 * refresh-token reuse, a password change, a freeze. The record is PostgreSQL ({@link SessionRecord}); every replica
 * keeps an in-process view of the sessions ended in the last access-token lifetime, so the access policy answers
 * without a round trip. The view is kept current by a Redis pub/sub message sent after each revocation commits, and
 * rebuilt from the record each time the subscription (re)connects, after subscribing, so no revocation falls between
 * the two. While the subscription is down, a message could be missed: the view then asks the record on each request.
 * So a revoked session is refused at once on every replica, and losing Redis loses nothing.
 */
@Injectable()
export class SessionRevocations implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SessionRevocations.name);
  private readonly channel: string;
  private readonly ttlMs: number;
  /** Ended session id -> when its last access token has expired (ms). */
  private readonly ended = new Map<string, number>();
  private record: SessionRecord | undefined;
  private subscriber: Redis | undefined;
  /** True while subscribed and synced with the record: the view is complete. */
  private live = false;
  private pruner: NodeJS.Timeout | undefined;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(BITRO_ENV) env: BitroEnv,
  ) {
    this.channel = `${env.REDIS_KEY_PREFIX}session-revoked`;
    this.ttlMs = (env.ACCESS_TOKEN_TTL_SECONDS + SKEW_SECONDS) * 1000;
  }

  /** Called by the domain that owns sessions, before the application bootstraps. */
  attachRecord(record: SessionRecord): void {
    this.record = record;
  }

  async onApplicationBootstrap(): Promise<void> {
    const subscriber = this.redis.duplicate({ lazyConnect: true, maxRetriesPerRequest: null });
    this.subscriber = subscriber;
    subscriber.on('message', (_channel: string, message: string) => this.remember(JSON.parse(message) as string[], Date.now()));
    subscriber.on('error', () => undefined); // reconnects by itself; `close` marks the view stale meanwhile
    subscriber.on('close', () => {
      this.live = false;
    });
    subscriber.on('ready', () => void this.sync(subscriber));
    this.pruner = setInterval(() => this.prune(), 60_000).unref();
    const synced = new Promise<void>((resolve) => subscriber.once('synced', resolve));
    subscriber.connect().catch(() => undefined);
    await Promise.race([synced, new Promise((resolve) => setTimeout(resolve, FIRST_SYNC_WAIT_MS).unref())]);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.pruner);
    this.live = false;
    this.subscriber?.disconnect();
  }

  /** Call after the revocation committed to the record. */
  async revoke(sessionIds: Iterable<string>): Promise<void> {
    const ids = [...new Set(sessionIds)];
    if (ids.length === 0) return;
    this.remember(ids, Date.now());
    await this.redis.publish(this.channel, JSON.stringify(ids));
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    if (this.ended.has(sessionId)) return true;
    if (this.live || !this.record) return false;
    return this.record.isEnded(sessionId);
  }

  private async sync(subscriber: Redis): Promise<void> {
    try {
      await subscriber.subscribe(this.channel);
      if (this.record) {
        for (const { sessionId, endedAt } of await this.record.endedSince(new Date(Date.now() - this.ttlMs))) this.remember([sessionId], endedAt.getTime());
      }
      this.live = subscriber.status === 'ready';
      subscriber.emit('synced');
    } catch (error) {
      this.logger.warn(`Ended sessions not synced, asking the record per request until the next reconnect: ${(error as Error).message}`);
      subscriber.disconnect(true);
    }
  }

  private remember(sessionIds: string[], endedAt: number): void {
    for (const id of sessionIds) this.ended.set(id, Math.max(this.ended.get(id) ?? 0, endedAt + this.ttlMs));
  }

  private prune(): void {
    const now = Date.now();
    for (const [id, until] of this.ended) if (until < now) this.ended.delete(id);
  }
}

/**
 * Where ended sessions are recorded for good (PostgreSQL, in the domain that owns sessions). {@link SessionRevocations}
 * rebuilds its in-process view from it whenever its notification channel (re)connects, and asks it directly while the
 * channel is down. The owner attaches it with {@link SessionRevocations.attachRecord}.
 */
export interface SessionRecord {
  /** The sessions ended at or after `since`, with when. */
  endedSince(since: Date): Promise<Array<{ sessionId: string; endedAt: Date }>>;
  isEnded(sessionId: string): Promise<boolean>;
}

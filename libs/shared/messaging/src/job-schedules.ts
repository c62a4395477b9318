import { Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';

/** How often a scheduler replica checks that its job schedulers still exist in Redis. */
export const SCHEDULE_CHECK_MS = 5_000;

/**
 * Makes sure a BullMQ job scheduler exists and is not stuck: Redis may have lost it (FLUSHALL, a restart without
 * persistence, a failover, an eviction) or lost only its next job. Re-created in either case; the runs are idempotent
 * and a run more or less does no harm. Returns whether it (re)created the scheduler.
 */
export async function ensureJobScheduler(queue: Queue, schedulerId: string, everyMs: number, logger: Logger): Promise<boolean> {
  const current = await queue.getJobScheduler(schedulerId);
  if (!current) {
    logger.log(`${schedulerId}: no job scheduler in Redis, creating it`);
  } else if (Number(current.every) === everyMs) {
    const overdueMs = Date.now() - Number(current.next ?? Date.now());
    if (overdueMs < 2 * Math.max(everyMs, SCHEDULE_CHECK_MS)) return false;
    logger.warn(`${schedulerId}: the next run is ${overdueMs} ms overdue (its job was lost): re-creating the schedule`);
  }
  // A changed interval starts afresh: an upsert keeps the phase within the old interval, holding a shorter one back.
  if (current) await queue.removeJobScheduler(schedulerId);
  await queue.upsertJobScheduler(schedulerId, { every: everyMs }, { name: 'run', opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } });
  return true;
}

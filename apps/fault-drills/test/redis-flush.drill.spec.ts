import { eventually } from '@bitro/system-testing';
import { afterAll, beforeAll, it } from 'vitest';
import { Drill } from './drill';

let drill: Drill;

beforeAll(async () => {
  drill = await Drill.start('Redis FLUSHALL while the wallet queue holds jobs');
});

afterAll(async () => {
  await drill?.close();
});

it('Redis loses its data while the wallet consumer queue holds jobs: every accepted redemption is credited once, the deposit and the withdrawal complete', async () => {
  await drill.run(async (d, load) => {
    await d.halfway(load);
    const jobs = await eventually(
      async () => {
        const n = await d.consumerQueueJobs('wallet');
        return n > 0 ? n : undefined;
      },
      () => 'the wallet queue never held a job to lose',
      30_000,
    );
    await d.redis.flushAll();
    return { what: 'FLUSHALL', walletQueueJobsAtFlush: jobs, redemptionsAcceptedAtFlush: load.accepted };
  });
});

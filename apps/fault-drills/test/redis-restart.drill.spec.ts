import { afterAll, beforeAll, it } from 'vitest';
import { Drill } from './drill';

let drill: Drill;

beforeAll(async () => {
  drill = await Drill.start('Redis killed and started again empty');
});

afterAll(async () => {
  await drill?.close();
});

it('Redis is SIGKILLed mid-load and back empty 3 s later: schedulers and deliveries resume without a restart', async () => {
  await drill.run(async (d, load) => {
    await d.halfway(load);
    const walletQueueJobs = await d.consumerQueueJobs('wallet');
    await d.redis.kill();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await d.redis.start();
    return { what: 'redis-server SIGKILL, started again empty on the same port after 3 s', walletQueueJobsAtKill: walletQueueJobs, redemptionsAcceptedAtKill: load.accepted };
  });
});

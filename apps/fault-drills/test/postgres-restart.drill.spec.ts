import { afterAll, beforeAll, it } from 'vitest';
import { Drill } from './drill';

let drill: Drill;

beforeAll(async () => {
  drill = await Drill.start('PostgreSQL restarted (fast shutdown)');
});

afterAll(async () => {
  await drill?.close();
});

it('PostgreSQL restarts mid-load: no process exits, and everything accepted completes once', async () => {
  let before: Record<string, number | undefined> = {};
  await drill.run(
    async (d, load) => {
      await d.halfway(load);
      before = d.pids();
      const started = Date.now();
      await d.postgres.restart();
      return { what: 'PostgreSQL fast shutdown and start on the same data and port', restartSeconds: (Date.now() - started) / 1000, pids: before, redemptionsAcceptedAtRestart: load.accepted };
    },
    {
      // The same processes throughout: a pid that changed or went away is a process that exited.
      outstanding: async (d) =>
        Object.entries(d.pids())
          .filter(([name, pid]) => pid === undefined || pid !== before[name])
          .map(([name, pid]) => `${name} was pid ${before[name]} before the restart, now ${pid ?? 'not running'}`),
    },
  );
});

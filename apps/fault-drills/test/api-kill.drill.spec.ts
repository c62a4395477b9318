import { afterAll, beforeAll, it } from 'vitest';
import { Drill } from './drill';

let drill: Drill;

beforeAll(async () => {
  drill = await Drill.start('bitro-api SIGKILLed mid-load');
});

afterAll(async () => {
  await drill?.close();
});

it('bitro-api is SIGKILLed mid-load and started again: clients retry with their Idempotency-Key, everything completes once', async () => {
  await drill.run(async (d, load) => {
    await d.halfway(load);
    const killedPid = d.system.api.pid;
    const started = Date.now();
    await d.system.restartApi();
    return { what: 'bitro-api SIGKILL, then started again', killedPid, newPid: d.system.api.pid, secondsUntilReady: (Date.now() - started) / 1000, redemptionsAcceptedAtKill: load.accepted };
  });
});

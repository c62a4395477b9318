import { type BuiltProcess, eventually } from '@bitro/system-testing';
import { afterAll, beforeAll, it } from 'vitest';
import { Drill } from './drill';

/** The consumer that only the replacement worker has (apps/bitro-api/src/app/test-extra-consumer.ts). */
const EXTRA_CONSUMER = 'test-extra';
const APPROVED = 'giftcard.redemption-approved.v1';

let drill: Drill;
/** The worker,scheduler replica the drill kills. */
let oldWorker: BuiltProcess;

beforeAll(async () => {
  // This replica serves HTTP only; the workers and schedulers run in another.
  drill = await Drill.start('worker replaced by a version with a new consumer', { apiEnv: { BITRO_ROLES: 'http' } });
});

afterAll(async () => {
  await drill?.close();
});

async function startWorker(name: string, env: Record<string, string> = {}): Promise<BuiltProcess> {
  const worker = drill.system.apiReplica(name, { BITRO_ROLES: 'worker,scheduler', PORT: '0', LOG_LEVEL: 'info', ...env });
  worker.start();
  await eventually(async () => worker.wrote('bitro-api started'), () => `${name} did not start\n${worker.tail()}`);
  return worker;
}

it('the worker is SIGKILLed and replaced by a version with one more consumer: that consumer handles the events relayed before it existed', async () => {
  let replacedAt = new Date();
  await drill.run(
    async (d, load) => {
      await d.halfway(load);
      await oldWorker.kill();
      replacedAt = new Date();
      await startWorker('bitro-api worker (with a new consumer)', { BITRO_TEST_EXTRA_CONSUMER: 'true' });
      const { rows } = await d.system.apiPool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "messaging"."outbox" WHERE name = $1 AND published_at < $2`,
        [APPROVED, replacedAt],
      );
      return { what: `the worker,scheduler replica SIGKILLed, replaced by one that adds the consumer "${EXTRA_CONSUMER}"`, approvalsRelayedBeforeTheNewConsumer: rows[0]?.n };
    },
    {
      setup: async () => {
        oldWorker = await startWorker('bitro-api worker');
      },
      outstanding: async (d) => {
        const { rows } = await d.system.apiPool.query<{ id: string }>(
          `SELECT o.id FROM "messaging"."outbox" o
            WHERE o.name = $1 AND NOT EXISTS (SELECT 1 FROM "messaging"."inbox" i WHERE i.event_id = o.id AND i.consumer = $2)`,
          [APPROVED, EXTRA_CONSUMER],
        );
        return rows.map((row) => `${EXTRA_CONSUMER} has not handled ${APPROVED} ${row.id}`);
      },
    },
  );
});

import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ProblemException } from '@bitro/http';
import { AUDIT_API, GIFTCARD_RECONCILIATION_API, WALLET_RECONCILIATION_API } from '@bitro/service-api';
import { EventSubscriber, on, pgTransaction, type SqlExecutor } from '@bitro/messaging';
import { type ModuleTest, RecordingAudit, startModuleTest } from '@bitro/testing';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DeadLettersController } from '../src/features/dead-letters/dead-letters.controller';
import { AdminModule } from '../src/index';

const probed = { name: 'test.probed.v1', payload: z.object({ key: z.string() }) };

/** A consumer for the dead letters to belong to (http role: it never runs, so resubmitted jobs just wait). */
@EventSubscriber()
@Injectable()
class ProbeSubscriber implements EventSubscriber {
  readonly consumer = 'test-probe';
  readonly handlers = [on(probed, async () => undefined)];
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return pgTransaction(pool, work);
  }
}

/** AUDIT_API as the audit domain offers it (global in the app), recording what it is asked to write. */
const audit = new RecordingAudit();

const admin = { sub: randomUUID(), role: 'admin' as const, sid: randomUUID() };

let mod: ModuleTest;
let pool: Pool;
let controller: DeadLettersController;

async function deadLetter(): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO "messaging"."dead_letters" (job_id, event_id, event_name, consumer, payload, occurred_at, error, attempts)
     VALUES ($1, $2, $3, 'test-probe', '{"key":"k"}', now(), 'boom', 8) RETURNING id`,
    [`job-${randomUUID()}`, randomUUID(), probed.name],
  );
  return rows[0].id;
}

beforeAll(async () => {
  mod = await startModuleTest({
    module: AdminModule,
    stubs: [
      { provide: AUDIT_API, useValue: audit },
      // The reconciliation's; the dead letters never call them.
      { provide: GIFTCARD_RECONCILIATION_API, useValue: {} },
      { provide: WALLET_RECONCILIATION_API, useValue: {} },
      ProbeSubscriber,
    ],
  });
  pool = mod.pool;
  controller = mod.get(DeadLettersController);
});

afterAll(() => mod?.close());

describe('DeadLettersController', () => {
  it('lists unresolved dead letters and resubmits one, which then leaves the list', async () => {
    const first = await deadLetter();
    const second = await deadLetter();
    expect((await controller.list()).items.map((letter) => letter.id)).toEqual([first, second]);
    expect(await controller.resubmit({ id: first }, admin)).toEqual({ id: first, resubmitted: true });
    expect((await controller.list()).items.map((letter) => letter.id)).toEqual([second]);
    expect(audit.actions).toEqual([expect.objectContaining({ action: 'events.resubmit', actorId: admin.sub, subject: `dead-letter:${first}` })]);
  });

  it('answers 404 for an unknown or already resubmitted dead letter', async () => {
    const id = await deadLetter();
    await controller.resubmit({ id }, admin);
    for (const unknown of [id, randomUUID()]) {
      const failure = await controller.resubmit({ id: unknown }, admin).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ProblemException);
      expect((failure as ProblemException).status).toBe(404);
    }
  });
});

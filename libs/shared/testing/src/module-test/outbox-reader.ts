import type { DomainEvent, EventContractLike } from '@bitro/messaging';
import type { Pool } from 'pg';
import type { z } from 'zod';

interface OutboxRow {
  id: string;
  name: string;
  payload: unknown;
  occurred_at: Date;
}

const toEvent = (row: OutboxRow): DomainEvent => ({ id: row.id, name: row.name, occurredAt: row.occurred_at.toISOString(), payload: row.payload });

/** The events in the test database's outbox (`messaging.outbox`), oldest first. */
export class OutboxReader {
  constructor(private readonly pool: Pool) {}

  /**
   * The events of `contract`, each payload checked against it but returned as stored, so that an exact comparison
   * also sees a field the contract does not declare (parsing would strip it).
   */
  async events<C extends EventContractLike>(contract: C): Promise<Array<DomainEvent<z.output<C['payload']>>>> {
    const { rows } = await this.pool.query<OutboxRow>('SELECT id, name, payload, occurred_at FROM "messaging"."outbox" WHERE name = $1 ORDER BY occurred_at, id', [contract.name]);
    for (const row of rows) contract.payload.parse(row.payload);
    return rows.map((row) => toEvent(row) as DomainEvent<z.output<C['payload']>>);
  }

  /** The ids of every event there now: what a scenario does not count. */
  async ids(): Promise<Set<string>> {
    const { rows } = await this.pool.query<{ id: string }>('SELECT id FROM "messaging"."outbox"');
    return new Set(rows.map((row) => row.id));
  }

  /** Every event there but those of `excluded`, as appended (payloads not parsed). */
  async except(excluded: ReadonlySet<string>): Promise<DomainEvent[]> {
    const { rows } = await this.pool.query<OutboxRow>(
      'SELECT id, name, payload, occurred_at FROM "messaging"."outbox" WHERE NOT (id = ANY($1::uuid[])) ORDER BY occurred_at, id',
      [[...excluded]],
    );
    return rows.map(toEvent);
  }
}

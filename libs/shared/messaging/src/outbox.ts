import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { DomainEvent, EventContractLike } from './event-handler';
import type { SqlExecutor } from './sql-executor';

/** Writes domain events into the outbox table, inside the caller's transaction. */
@Injectable()
export class Outbox {
  /** Validates the payload with the contract's schema (throws on invalid) and inserts the event; published once `tx` commits. */
  async append<C extends EventContractLike>(tx: SqlExecutor, contract: C, payload: z.input<C['payload']>): Promise<DomainEvent<z.output<C['payload']>>> {
    const event: DomainEvent<z.output<C['payload']>> = {
      id: randomUUID(),
      name: contract.name,
      occurredAt: new Date().toISOString(),
      payload: contract.payload.parse(payload) as z.output<C['payload']>,
    };
    await tx.$executeRawUnsafe(
      'INSERT INTO "messaging"."outbox" (id, name, payload, occurred_at) VALUES ($1::uuid, $2, $3::jsonb, $4::timestamptz)',
      event.id,
      event.name,
      JSON.stringify(event.payload),
      event.occurredAt,
    );
    return event;
  }
}

import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { type DomainEvent, type EventContractLike, newEvent } from './event-handler';
import type { SqlExecutor } from './sql-executor';

const INSERT = 'INSERT INTO "messaging"."outbox" (id, name, payload, occurred_at) VALUES ($1::uuid, $2, $3::jsonb, $4::timestamptz)';

/** Writes domain events into the outbox table, inside the caller's transaction. */
@Injectable()
export class Outbox {
  /** Validates the payload with the contract's schema (throws on invalid) and inserts the event; published once `tx` commits. */
  async append<C extends EventContractLike>(tx: SqlExecutor, contract: C, payload: z.input<C['payload']>): Promise<DomainEvent<z.output<C['payload']>>> {
    const event = newEvent(contract, payload);
    await tx.$executeRawUnsafe(INSERT, event.id, event.name, JSON.stringify(event.payload), event.occurredAt);
    return event;
  }

  /** Appends an event received from another process, keeping its id: appending it again does nothing. */
  async appendReceived(tx: SqlExecutor, event: DomainEvent): Promise<void> {
    await tx.$executeRawUnsafe(`${INSERT} ON CONFLICT (id) DO NOTHING`, event.id, event.name, JSON.stringify(event.payload), event.occurredAt);
  }
}

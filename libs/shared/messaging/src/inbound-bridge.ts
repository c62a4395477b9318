import type { Pool } from 'pg';
import { type EventContractLike, on } from './event-handler';
import type { EventSubscriber } from './event-subscriber';
import { inboundConsumerName } from './messaging-routes';
import type { Outbox } from './outbox';
import { pgTransaction } from './sql-executor';

/**
 * The subscriber that takes in another process's queue: each event, validated against its contract, is appended to
 * the local outbox under its own id, and so reaches this process's subscribers like a local event.
 */
export function inboundBridge(queue: string, events: readonly EventContractLike[], pool: Pool, outbox: Outbox): EventSubscriber {
  return {
    consumer: inboundConsumerName(queue),
    transaction: (work) => pgTransaction(pool, work),
    handlers: events.map((contract) => on(contract, (event, tx) => outbox.appendReceived(tx, event))),
  };
}

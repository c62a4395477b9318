import type { z } from 'zod';
import type { SqlExecutor } from './sql-executor';

/** Structurally the same as service-api's EventContract (shared libs cannot import service-api). */
export interface EventContractLike<P extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly payload: P;
}

/** An event as it travels: envelope plus payload. */
export interface DomainEvent<P = unknown> {
  id: string;
  name: string;
  occurredAt: string;
  payload: P;
}

export interface EventHandler<C extends EventContractLike = EventContractLike> {
  event: C;
  handle(event: DomainEvent<z.output<C['payload']>>, tx: SqlExecutor): Promise<void>;
}

/** Builds a typed handler: `on(redemptionApprovedV1, async (event, tx) => ...)`. */
export function on<C extends EventContractLike>(event: C, handle: EventHandler<C>['handle']): EventHandler<C> {
  return { event, handle };
}

import type { EventContractLike } from './event-handler';

/** An event contract that travels on a named queue to another process. */
export interface QueuedEventContract extends EventContractLike {
  readonly queue: string;
}

/**
 * How this process's events meet another process's (bitro-api ↔ bitcoin-gateway): both run messaging on the same
 * Redis under the same REDIS_KEY_PREFIX.
 */
export interface MessagingRoutes {
  /** Events this process appends and the relay also publishes to their contract's `queue` (job id = event id). */
  readonly outbound?: readonly QueuedEventContract[];
  /**
   * Queues of another process this process consumes. Each event is validated against its contract and appended to the
   * local outbox under its own id (once: the inbox and the id deduplicate), then reaches the local subscribers.
   */
  readonly inbound?: ReadonlyArray<{ readonly queue: string; readonly events: readonly EventContractLike[] }>;
  /**
   * HMAC secrets of the messages on these queues (message-signing.ts): the first signs, any one verifies. Without one,
   * nothing outbound can be sent and nothing inbound is accepted.
   */
  readonly secrets?: readonly string[];
}

export const MESSAGING_ROUTES = Symbol.for('bitro.messaging.routes');

export const NO_ROUTES: MessagingRoutes = {};

/** The consumer name of the bridge that takes in queue `queue`. */
export const inboundConsumerName = (queue: string): string => `inbound-${queue.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`;

/** The publication consumer name of the messages to another process's queue `queue`: complete once acknowledged. */
export const outboundConsumerName = (queue: string): string => `to-${queue.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`;

/** Where the receiver of `queue` acknowledges each message it has taken in. */
export const acknowledgementQueueName = (queue: string): string => `${queue}-acks`;

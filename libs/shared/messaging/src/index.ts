export { type SqlExecutor, pgTransaction } from './sql-executor';
export { type EventContractLike, type DomainEvent, type EventHandler, on } from './event-handler';
export { EventSubscriber } from './event-subscriber';
export { Outbox } from './outbox';
export { DeadLetters, DeadLetterNotFoundError, type DeadLetter } from './dead-letters';
export { MessagingMetrics, type MessagingSnapshot } from './messaging-metrics';
export { MessagingModule } from './messaging.module';
export { type MessagingRoutes, type QueuedEventContract, inboundConsumerName } from './messaging-routes';
export { EVENTS_COMMANDS } from './events.command';

/**
 * BullMQ queues between bitro-api and bitcoin-gateway. Each job carries a {@link GatewayMessage}
 * envelope; its `id` is also the BullMQ job id, so a producer that retries a publish does not enqueue twice,
 * and consumers deduplicate on it (inbox) because BullMQ delivers at least once.
 */
export const GATEWAY_QUEUES = {
  /** bitro-api → gateway: commands (withdrawal requested). */
  commands: 'gateway-commands',
  /** gateway → bitro-api: what happened on chain (deposits, withdrawal progress). */
  events: 'gateway-events',
} as const;

export type GatewayQueueName = (typeof GATEWAY_QUEUES)[keyof typeof GATEWAY_QUEUES];

import { z } from 'zod';
import { defineEvent, type EventContract } from '@bitro/service-api';
import { GATEWAY_QUEUES, type GatewayQueueName } from './queues';
import {
  bitcoinAddress,
  blockHash,
  blockHeight,
  confirmations,
  positiveSatsString,
  satsString,
  txid,
  vout,
} from './primitives';

/** A message on a gateway queue: a versioned contract and the queue it travels on. */
export interface GatewayMessageContract<P extends z.ZodType = z.ZodType> extends EventContract<P> {
  readonly queue: GatewayQueueName;
}

function defineMessage<P extends z.ZodType>(queue: GatewayQueueName, name: string, payload: P): GatewayMessageContract<P> {
  return { ...defineEvent(name, payload), queue };
}

const depositOutput = {
  userId: z.uuid(),
  address: bitcoinAddress,
  txid,
  vout,
  amountSats: positiveSatsString,
};

/** A payment to a user's deposit address was seen (mempool or first block); not yet spendable. */
export const depositDetectedV1 = defineMessage(
  GATEWAY_QUEUES.events,
  'gateway.deposit-detected.v1',
  z.object({
    ...depositOutput,
    confirmations,
    blockHash: blockHash.nullable(),
    blockHeight: blockHeight.nullable(),
  }),
);

/** A deposit reached the required confirmations: bitro-api credits it (idempotently on txid:vout). */
export const depositConfirmedV1 = defineMessage(
  GATEWAY_QUEUES.events,
  'gateway.deposit-confirmed.v1',
  z.object({
    ...depositOutput,
    confirmations: confirmations.min(1),
    blockHash,
    blockHeight,
  }),
);

/** A deposit left the chain (reorg) or was double-spent: bitro-api reverses whatever it credited. */
export const depositReversedV1 = defineMessage(
  GATEWAY_QUEUES.events,
  'gateway.deposit-reversed.v1',
  z.object({
    ...depositOutput,
    reason: z.enum(['reorg', 'conflict']),
  }),
);

/** bitro-api debited (held) the user's balance and asks the gateway to pay out. */
export const withdrawalRequestedV1 = defineMessage(
  GATEWAY_QUEUES.commands,
  'gateway.withdrawal-requested.v1',
  z.object({
    withdrawalId: z.uuid(),
    userId: z.uuid(),
    address: bitcoinAddress,
    amountSats: positiveSatsString,
    /** The most the user agreed to pay in network fees; the gateway fails the withdrawal rather than exceed it. */
    maxFeeSats: satsString,
  }),
);

/** The signed transaction was persisted and broadcast. */
const withdrawalSent = z.object({
  withdrawalId: z.uuid(),
  userId: z.uuid(),
  txid,
  vout,
  feeSats: satsString,
});

export const withdrawalBroadcastV1 = defineMessage(GATEWAY_QUEUES.events, 'gateway.withdrawal-broadcast.v1', withdrawalSent);

export const withdrawalConfirmedV1 = defineMessage(
  GATEWAY_QUEUES.events,
  'gateway.withdrawal-confirmed.v1',
  withdrawalSent.extend({
    confirmations: confirmations.min(1),
    blockHash,
    blockHeight,
  }),
);

/** The gateway will not pay this withdrawal (nothing was broadcast): bitro-api releases the hold. */
export const withdrawalFailedV1 = defineMessage(
  GATEWAY_QUEUES.events,
  'gateway.withdrawal-failed.v1',
  z.object({
    withdrawalId: z.uuid(),
    userId: z.uuid(),
    reason: z.enum(['invalid-address', 'insufficient-funds', 'fee-too-high', 'rejected-by-network', 'internal']),
    detail: z.string().max(500),
  }),
);

export const GATEWAY_MESSAGES = [
  depositDetectedV1,
  depositConfirmedV1,
  depositReversedV1,
  withdrawalRequestedV1,
  withdrawalBroadcastV1,
  withdrawalConfirmedV1,
  withdrawalFailedV1,
] as const;

/** What the gateway tells bitro-api, on {@link GATEWAY_QUEUES.events}. */
export const GATEWAY_EVENTS = GATEWAY_MESSAGES.filter((message) => message.queue === GATEWAY_QUEUES.events);
/** What bitro-api asks of the gateway, on {@link GATEWAY_QUEUES.commands}. */
export const GATEWAY_COMMANDS = GATEWAY_MESSAGES.filter((message) => message.queue === GATEWAY_QUEUES.commands);

/** The envelope of every job on a gateway queue (the job name is the message name). */
export const gatewayMessageEnvelope = z.object({
  id: z.uuid(),
  name: z.string(),
  occurredAt: z.iso.datetime({ offset: true }),
  payload: z.unknown(),
});

export interface GatewayMessage<P = unknown> {
  id: string;
  name: string;
  occurredAt: string;
  payload: P;
}

/** Validates an envelope and its payload against the contract named in it; throws on an unknown name. */
export function parseGatewayMessage(input: unknown): GatewayMessage {
  const envelope = gatewayMessageEnvelope.parse(input);
  const contract = GATEWAY_MESSAGES.find((c) => c.name === envelope.name);
  if (!contract) throw new Error(`Unknown gateway message "${envelope.name}"`);
  return { ...envelope, payload: contract.payload.parse(envelope.payload) };
}

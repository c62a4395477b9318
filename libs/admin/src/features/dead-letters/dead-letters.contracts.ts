import { defineRoute, firstExample } from '@bitro/http';
import { z } from 'zod';

export const deadLetterSchema = z.object({
  id: z.uuid(),
  consumer: z.string(),
  event: z.object({ id: z.uuid(), name: z.string(), occurredAt: z.iso.datetime(), payload: z.unknown() }),
  error: z.string(),
  attempts: z.int(),
  failedAt: z.iso.datetime(),
}).meta({
  examples: [
    {
      id: '9c5a1e3b-7d2f-4c8a-b6e0-2f4d6a8c0e97',
      consumer: 'notification',
      event: {
        id: 'd8f2b6a4-0e1c-4a7d-9b3f-6c8e0a2d4f51',
        name: 'wallet.credited.v1',
        occurredAt: '2026-12-04T11:20:31.874Z',
        payload: { journalId: '1b7d3f5a-9c2e-4d6b-a8f0-3e5c7a9b1d42', userId: '3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44', amountSats: '32314', reference: 'redemption:0d2c6f4e-7a1b-4c3d-9e8f-1a2b3c4d5e6f', redemptionId: '0d2c6f4e-7a1b-4c3d-9e8f-1a2b3c4d5e6f' },
      },
      error: 'connect ECONNREFUSED 10.0.4.12:587',
      attempts: 8,
      failedAt: '2026-12-04T13:02:10.310Z',
    },
  ],
});

export const listDeadLettersRoute = defineRoute({
  method: 'GET',
  path: '/v1/admin/events/dead-letters',
  tag: 'admin',
  summary: 'Events a consumer gave up on, oldest first (unresolved only)',
  access: 'admin',
  responses: { 200: { description: 'The unresolved dead letters.', schema: z.object({ items: z.array(deadLetterSchema) }).meta({ examples: [{ items: [firstExample(deadLetterSchema)] }] }) } },
});

export const resubmitDeadLetterRoute = defineRoute({
  method: 'POST',
  path: '/v1/admin/events/dead-letters/:id/resubmit',
  tag: 'admin',
  summary: 'Enqueue a dead-lettered event for its consumer again, once its cause is fixed',
  access: 'admin',
  params: z.object({ id: z.uuid() }),
  responses: { 202: { description: 'Enqueued again with fresh attempts; the dead letter is resolved.', schema: z.object({ id: z.uuid(), resubmitted: z.literal(true) }).meta({ examples: [{ id: firstExample(deadLetterSchema).id, resubmitted: true }] }) } },
  problems: { 404: { types: ['dead-letter-not-found'], description: 'No unresolved dead letter has this id.' } },
});

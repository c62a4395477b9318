import { defineRoute } from '@bitro/http';
import { z } from 'zod';

export const deadLetterSchema = z.object({
  id: z.uuid(),
  consumer: z.string(),
  event: z.object({ id: z.uuid(), name: z.string(), occurredAt: z.iso.datetime(), payload: z.unknown() }),
  error: z.string(),
  attempts: z.int(),
  failedAt: z.iso.datetime(),
});

export const listDeadLettersRoute = defineRoute({
  method: 'GET',
  path: '/v1/admin/events/dead-letters',
  tag: 'admin',
  summary: 'Events a consumer gave up on, oldest first (unresolved only)',
  access: 'admin',
  responses: { 200: { description: 'The unresolved dead letters.', schema: z.object({ items: z.array(deadLetterSchema) }) } },
});

export const resubmitDeadLetterRoute = defineRoute({
  method: 'POST',
  path: '/v1/admin/events/dead-letters/:id/resubmit',
  tag: 'admin',
  summary: 'Enqueue a dead-lettered event for its consumer again, once its cause is fixed',
  access: 'admin',
  params: z.object({ id: z.uuid() }),
  responses: { 202: { description: 'Enqueued again with fresh attempts; the dead letter is resolved.', schema: z.object({ id: z.uuid(), resubmitted: z.literal(true) }) } },
  problems: { 404: { types: ['dead-letter-not-found'], description: 'No unresolved dead letter has this id.' } },
});

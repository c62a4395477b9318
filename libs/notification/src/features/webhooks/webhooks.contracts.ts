import { defineRoute, firstExample } from '@bitro/http';
import { z } from 'zod';
import { NOTIFICATION_TYPES, notificationTypeSchema } from '../catalogue/notification-types';

const TAG = 'notifications';

const webhookViewSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  events: z.array(notificationTypeSchema).describe('The notification types it receives; empty: all.'),
  createdAt: z.iso.datetime(),
}).meta({
  examples: [
    {
      id: '6d0b4f8a-2c9e-4a3d-b7f1-5a9c3e7b1d68',
      url: 'https://hooks.example.com/bitro',
      events: ['redemption.credited', 'withdrawal.confirmed'],
      createdAt: '2026-11-20T03:44:10.025Z',
    },
  ],
});

export const registerWebhookRoute = defineRoute({
  method: 'POST',
  path: '/v1/notifications/webhooks',
  tag: TAG,
  summary: 'Register a webhook',
  access: 'user',
  body: z.strictObject({
    url: z.string().max(2048).describe('http(s) URL receiving POSTs; in production not a private or loopback address.'),
    events: z.array(notificationTypeSchema).max(NOTIFICATION_TYPES.length).optional().describe('Types to receive; absent or empty: all.'),
  }).meta({ examples: [{ url: 'https://hooks.example.com/bitro', events: ['redemption.credited', 'withdrawal.confirmed'] }] }),
  responses: {
    201: {
      description:
        'Registered. `secret` is shown only now: each request carries `Bitro-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` ' +
        'under it, and `Bitro-Delivery-Id` (the same on retries). Failed deliveries are retried with exponential backoff.',
      schema: webhookViewSchema
        .extend({ secret: z.string() })
        .meta({ examples: [{ ...firstExample(webhookViewSchema), secret: 'whsec_3IX-5UItNKi9Mi3dX2INgL3pG7Eu1ylY6uR6atSx3V8' }] }),
    },
  },
  problems: {
    422: { types: ['invalid-webhook-url', 'too-many-webhooks'], description: 'Not an http(s) URL (or a private address in production), or too many webhooks.' },
  },
});

export const listWebhooksRoute = defineRoute({
  method: 'GET',
  path: '/v1/notifications/webhooks',
  tag: TAG,
  summary: 'My webhooks',
  access: 'user',
  responses: { 200: { description: 'The webhooks (without their secrets).', schema: z.object({ items: z.array(webhookViewSchema) }).meta({ examples: [{ items: [firstExample(webhookViewSchema)] }] }) } },
});

const webhookParams = z.object({ id: z.uuid() });

export const deleteWebhookRoute = defineRoute({
  method: 'DELETE',
  path: '/v1/notifications/webhooks/:id',
  tag: TAG,
  summary: 'Delete a webhook',
  access: 'user',
  params: webhookParams,
  responses: { 204: { description: 'Deleted; its pending deliveries are given up.' } },
  problems: { 404: { types: ['webhook-not-found'], description: 'No webhook of yours has this id.' } },
});

export const webhookDeliveriesRoute = defineRoute({
  method: 'GET',
  path: '/v1/notifications/webhooks/:id/deliveries',
  tag: TAG,
  summary: "A webhook's delivery log, newest first",
  access: 'user',
  params: webhookParams,
  query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }),
  responses: {
    200: {
      description: 'Deliveries with every attempt (HTTP status, error, duration).',
      schema: z.object({
        items: z.array(
          z.object({
            id: z.uuid(),
            notificationId: z.uuid(),
            type: notificationTypeSchema,
            status: z.enum(['pending', 'delivered', 'failed']),
            attempts: z.array(
              z.object({
                attemptNo: z.int(),
                outcome: z.enum(['delivered', 'failed']),
                httpStatus: z.int().nullable(),
                error: z.string().nullable(),
                durationMs: z.int(),
                attemptedAt: z.iso.datetime(),
              }),
            ),
            nextAttemptAt: z.iso.datetime().nullable(),
            deliveredAt: z.iso.datetime().nullable(),
            createdAt: z.iso.datetime(),
          }),
        ),
      }).meta({
        examples: [
          {
            items: [
              {
                id: 'b3e7a9c1-5d2f-4b8e-a0c6-8e2a4c6f0b35',
                notificationId: '2a6e0c4f-8b3d-4f1a-9e5c-7b9d1f3a5c86',
                type: 'withdrawal.confirmed',
                status: 'delivered',
                attempts: [
                  { attemptNo: 1, outcome: 'failed', httpStatus: 502, error: 'http-502', durationMs: 184, attemptedAt: '2026-12-03T16:05:43.102Z' },
                  { attemptNo: 2, outcome: 'delivered', httpStatus: 200, error: null, durationMs: 97, attemptedAt: '2026-12-03T16:06:13.410Z' },
                ],
                nextAttemptAt: null,
                deliveredAt: '2026-12-03T16:06:13.507Z',
                createdAt: '2026-12-03T16:05:42.381Z',
              },
            ],
          },
        ],
      }),
    },
  },
  problems: { 404: { types: ['webhook-not-found'], description: 'No webhook of yours has this id.' } },
});

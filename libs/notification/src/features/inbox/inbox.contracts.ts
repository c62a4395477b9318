import { defineRoute, firstExample } from '@bitro/http';
import { cursorQuerySchema } from '@bitro/db';
import { z } from 'zod';
import { notificationTypeSchema } from '../catalogue/notification-types';

const TAG = 'notifications';

export const notificationViewSchema = z.object({
  id: z.uuid(),
  type: notificationTypeSchema,
  title: z.string(),
  body: z.string(),
  data: z.record(z.string(), z.unknown()).describe('The facts of the notification; amounts are satoshis as decimal strings.'),
  read: z.boolean(),
  readAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
}).meta({
  examples: [
    {
      id: '2a6e0c4f-8b3d-4f1a-9e5c-7b9d1f3a5c86',
      type: 'withdrawal.confirmed',
      title: 'Withdrawal confirmed',
      body: 'Your withdrawal has 6 confirmations and is complete. Fee 0.00002820 BTC (tx f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16)',
      data: { withdrawalId: 'c4a1e7d2-5b3f-4a8e-9d1c-2f6b8e0a3c57', txid: 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16', feeSats: '2820', confirmations: 6 },
      read: false,
      readAt: null,
      createdAt: '2026-12-03T16:05:42.381Z',
    },
  ],
});

export const listNotificationsRoute = defineRoute({
  method: 'GET',
  path: '/v1/notifications',
  tag: TAG,
  summary: 'My in-app notifications, newest first',
  access: 'user',
  query: z.object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: cursorQuerySchema,
    unread: z.enum(['true', 'false']).transform((value) => value === 'true').optional().describe('true: only unread ones.'),
  }),
  responses: {
    200: {
      description: 'One page, the cursor of the next (null on the last page) and how many are unread in all.',
      schema: z
        .object({ items: z.array(notificationViewSchema), nextCursor: z.string().nullable(), unreadCount: z.int() })
        .meta({ examples: [{ items: [firstExample(notificationViewSchema)], nextCursor: null, unreadCount: 1 }] }),
    },
  },
});

export const readNotificationRoute = defineRoute({
  method: 'POST',
  path: '/v1/notifications/:id/read',
  tag: TAG,
  summary: 'Mark a notification read',
  access: 'user',
  params: z.object({ id: z.uuid() }),
  responses: { 200: { description: 'The notification, read (reading it again changes nothing).', schema: notificationViewSchema.meta({ examples: [{ ...firstExample(notificationViewSchema), read: true, readAt: '2026-12-03T18:12:09.750Z' }] }) } },
  problems: { 404: { types: ['notification-not-found'], description: 'No notification of yours has this id.' } },
});

export const readAllNotificationsRoute = defineRoute({
  method: 'POST',
  path: '/v1/notifications/read-all',
  tag: TAG,
  summary: 'Mark all my notifications read',
  access: 'user',
  responses: { 200: { description: 'How many were unread.', schema: z.object({ updated: z.int() }).meta({ examples: [{ updated: 3 }] }) } },
});

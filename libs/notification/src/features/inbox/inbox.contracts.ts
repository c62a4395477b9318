import { defineRoute } from '@bitro/http';
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
      schema: z.object({ items: z.array(notificationViewSchema), nextCursor: z.string().nullable(), unreadCount: z.int() }),
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
  responses: { 200: { description: 'The notification, read (reading it again changes nothing).', schema: notificationViewSchema } },
  problems: { 404: { types: ['notification-not-found'], description: 'No notification of yours has this id.' } },
});

export const readAllNotificationsRoute = defineRoute({
  method: 'POST',
  path: '/v1/notifications/read-all',
  tag: TAG,
  summary: 'Mark all my notifications read',
  access: 'user',
  responses: { 200: { description: 'How many were unread.', schema: z.object({ updated: z.int() }) } },
});

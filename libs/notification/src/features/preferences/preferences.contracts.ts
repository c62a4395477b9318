import { defineRoute } from '@bitro/http';
import { z } from 'zod';
import { localeSchema, NOTIFICATION_TYPES } from '../catalogue/notification-types';

const TAG = 'notifications';

const channelChoiceSchema = z.object({ inApp: z.boolean(), email: z.boolean(), webhook: z.boolean() });
const eventsShape = <S extends z.ZodType>(schema: S) => z.strictObject(Object.fromEntries(NOTIFICATION_TYPES.map((type) => [type, schema])) as Record<(typeof NOTIFICATION_TYPES)[number], S>);

export const preferencesSchema = z.object({
  locale: localeSchema.describe('The language of notifications (default ko).'),
  events: eventsShape(channelChoiceSchema).describe('Per notification type, which channels are on (all by default).'),
}).meta({
  examples: [
    {
      locale: 'en',
      events: Object.fromEntries(
        NOTIFICATION_TYPES.map((type) => [type, { inApp: true, email: type !== 'deposit.detected', webhook: true }]),
      ),
    },
  ],
});

export const getPreferencesRoute = defineRoute({
  method: 'GET',
  path: '/v1/notifications/preferences',
  tag: TAG,
  summary: 'My notification language and channels',
  access: 'user',
  responses: { 200: { description: 'The preferences.', schema: preferencesSchema } },
});

export const putPreferencesRoute = defineRoute({
  method: 'PUT',
  path: '/v1/notifications/preferences',
  tag: TAG,
  summary: 'Change my notification language or channels',
  access: 'user',
  body: z.strictObject({
    locale: localeSchema.optional(),
    events: eventsShape(channelChoiceSchema.partial().strict().optional()).partial().optional(),
  }).meta({ examples: [{ locale: 'en', events: { 'deposit.detected': { email: false } } }] }),
  responses: { 200: { description: 'The preferences after the change; what the body leaves out is unchanged.', schema: preferencesSchema } },
});

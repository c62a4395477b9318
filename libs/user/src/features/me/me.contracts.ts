import { defineRoute } from '@bitro/http';
import { userViewSchema } from '@bitro/service-api';
import { z } from 'zod';

export const updateMeBodySchema = z
  .strictObject({
    displayName: z.string().trim().min(1, 'must not be empty').max(80).optional(),
    currentPassword: z.string().min(1).max(1024).optional(),
    newPassword: z.string().min(10, 'must be at least 10 characters').max(1024).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'send at least one field to change' })
  .refine((body) => (body.newPassword === undefined) === (body.currentPassword === undefined), {
    message: 'a password change needs both currentPassword and newPassword',
    path: ['currentPassword'],
  })
  .meta({ examples: [{ displayName: 'Ada L.' }, { currentPassword: 'correct horse battery', newPassword: 'battery staple horse' }] });

export const getMeRoute = defineRoute({
  method: 'GET',
  path: '/v1/me',
  tag: 'me',
  summary: 'The signed-in user',
  access: 'user',
  responses: { 200: { description: 'The user.', schema: userViewSchema } },
  problems: { 404: { types: ['user-not-found'], description: 'The account no longer exists.' } },
});

export const updateMeRoute = defineRoute({
  method: 'PATCH',
  path: '/v1/me',
  tag: 'me',
  summary: 'Change the display name or the password',
  access: 'user',
  body: updateMeBodySchema,
  responses: { 200: { description: 'The updated user. A password change ends every session.', schema: userViewSchema } },
  problems: {
    403: { types: ['wrong-password'], description: 'The current password is wrong.' },
    404: { types: ['user-not-found'], description: 'The account no longer exists.' },
    429: { types: ['too-many-password-attempts'], description: 'Too many wrong current passwords; see Retry-After.' },
  },
});

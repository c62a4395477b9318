import { pageQueryShape } from '@bitro/db';
import { defineRoute, firstExample } from '@bitro/http';
import { amountString, userRoleSchema, userStatusSchema } from '@bitro/service-api';
import { z } from 'zod';

/** What an admin sees of a user (search results, the user page). */
export const adminUserViewSchema = z.object({
  id: z.uuid(),
  email: z.email(),
  role: userRoleSchema,
  status: userStatusSchema,
  createdAt: z.iso.datetime(),
  /** Set while the user is frozen. */
  frozenAt: z.iso.datetime().optional(),
  frozenReason: z.string().optional(),
}).meta({
  examples: [
    {
      id: '3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44',
      email: 'ada@example.com',
      role: 'user',
      status: 'frozen',
      createdAt: '2026-11-02T06:14:09.331Z',
      frozenAt: '2026-12-01T10:02:45.120Z',
      frozenReason: 'Chargeback dispute #4411 open',
    },
  ],
});
export type AdminUserView = z.infer<typeof adminUserViewSchema>;

export const searchUsersInputSchema = z.object({
  /** An exact user id, or a part of the e-mail address (case-insensitive). */
  q: z.string().trim().min(1).max(254).optional(),
  status: userStatusSchema.optional(),
  role: userRoleSchema.optional(),
  limit: z.int().min(1).max(100).default(20),
  /** `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
});
export type SearchUsersInput = z.input<typeof searchUsersInputSchema>;

export interface AdminUserPage {
  items: AdminUserView[];
  nextCursor: string | null;
}

export const freezeReasonSchema = z.string().trim().min(1).max(500);

export const userStatusChangeInputSchema = z.object({
  userId: z.uuid(),
  /** The admin doing it. */
  actorId: z.uuid(),
  reason: freezeReasonSchema,
});
export type UserStatusChangeInput = z.input<typeof userStatusChangeInputSchema>;

export interface UserStatusChange {
  user: AdminUserView;
  /** False when the user already was in the target state: nothing was written or audited. */
  changed: boolean;
}

const userParams = z.object({ id: z.uuid() });

export const searchUsersRoute = defineRoute({
  method: 'GET',
  path: '/v1/admin/users',
  tag: 'admin',
  summary: 'Search users, newest first (audited as user.search)',
  access: 'admin',
  query: z.strictObject({
    q: z.string().trim().min(1).max(254).optional().describe('An exact user id, or a part of the e-mail address (case-insensitive; % and _ are literal).'),
    status: userStatusSchema.optional(),
    role: userRoleSchema.optional(),
    ...pageQueryShape,
  }),
  responses: {
    200: {
      description: 'A page of users; `nextCursor` is null on the last page.',
      schema: z
        .object({ items: z.array(adminUserViewSchema), nextCursor: z.string().nullable() })
        .meta({ examples: [{ items: [firstExample(adminUserViewSchema)], nextCursor: null }] }),
    },
  },
});

export const getUserRoute = defineRoute({
  method: 'GET',
  path: '/v1/admin/users/:id',
  tag: 'admin',
  summary: "A user and their wallet balance (audited as user.view)",
  access: 'admin',
  params: userParams,
  responses: {
    200: {
      description: 'The user, with the wallet balance in satoshis.',
      schema: adminUserViewSchema
        .extend({ wallet: z.object({ availableSats: amountString, heldSats: amountString }) })
        .meta({ examples: [{ ...firstExample(adminUserViewSchema), wallet: { availableSats: '1843200', heldSats: '255000' } }] }),
    },
  },
  problems: { 404: { types: ['user-not-found'], description: 'No user has this id.' } },
});

const { frozenAt: _frozenAt, frozenReason: _frozenReason, ...activeUser } = firstExample(adminUserViewSchema);
const activeUserExample: AdminUserView = { ...activeUser, status: 'active' };

const statusChange = (verb: 'freeze' | 'unfreeze', summary: string, description: string) =>
  defineRoute({
    method: 'POST',
    path: `/v1/admin/users/:id/${verb}`,
    tag: 'admin',
    summary,
    access: 'admin',
    params: userParams,
    body: z
      .strictObject({ reason: freezeReasonSchema.describe('Why, for the audit trail (1-500 characters).') })
      .meta({ examples: [{ reason: verb === 'freeze' ? 'Chargeback dispute #4411 open' : 'Dispute #4411 resolved' }] }),
    responses: {
      200: {
        description,
        schema: z
          .object({ user: adminUserViewSchema, changed: z.boolean().describe('False when the user already was in that state: nothing was written.') })
          .meta({ examples: [{ user: verb === 'freeze' ? firstExample(adminUserViewSchema) : activeUserExample, changed: true }] }),
      },
    },
    problems: {
      404: { types: ['user-not-found'], description: 'No user has this id.' },
      409: { types: ['cannot-freeze-self'], description: 'An admin may not freeze or unfreeze their own account.' },
    },
  });

export const freezeUserRoute = statusChange(
  'freeze',
  'Freeze a user: redeeming and withdrawing are refused (audited as user.freeze)',
  'The user is frozen. They can still sign in and see their balance and history.',
);

export const unfreezeUserRoute = statusChange('unfreeze', 'Make a frozen user active again (audited as user.unfreeze)', 'The user is active.');

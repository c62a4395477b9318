import { describe, expect, it } from 'vitest';
import { createAdminInputSchema, userViewSchema } from './user.contracts';

describe('user contracts', () => {
  it('accepts a well-formed user view and rejects an unknown role', () => {
    const view = {
      id: '3f0c2a4e-8b1d-4c5e-9f6a-1b2c3d4e5f60',
      email: 'a@example.com',
      displayName: 'A',
      role: 'user',
      status: 'active',
      emailVerified: true,
      twoFactorEnabled: false,
      createdAt: '2026-11-24T10:00:00.000Z',
    };
    expect(userViewSchema.parse(view)).toEqual(view);
    expect(userViewSchema.safeParse({ ...view, role: 'root' }).success).toBe(false);
  });

  it('requires an admin password of at least 10 characters', () => {
    const result = createAdminInputSchema.safeParse({ email: 'a@example.com', password: 'short', displayName: 'A' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['password']);
  });
});

import { type DomainEvent, type EventHandler, newEvent, type SqlExecutor } from '@bitro/messaging';
import { randomUUID } from 'node:crypto';
import { withdrawalConfirmedV1, withdrawalRequestedV1 } from '@bitro/gateway-contract';
import { redemptionRejectedV1, userLoginNewDeviceV1, walletCreditedV1, walletWithdrawalRejectedV1 } from '@bitro/service-api';
import type { ModuleTest } from '@bitro/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationConsumer } from '../src/events/notification.consumer';
import { NotificationPrisma } from '../src/persistence/notification-prisma';
import { newUser, startNotificationModule } from './notification-module-test';

let mod: ModuleTest;
const ADDRESS = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080';
const TXID = 'ab'.repeat(32);

beforeAll(async () => {
  mod = await startNotificationModule();
});
afterAll(() => mod?.close());

const requested = (userId: string, withdrawalId = randomUUID()) =>
  newEvent(withdrawalRequestedV1, { withdrawalId, userId, address: ADDRESS, amountSats: '20000000', maxFeeSats: '5000' });

interface Page {
  items: Array<{ id: string; type: string; title: string; body: string; read: boolean; data: Record<string, unknown> }>;
  nextCursor: string | null;
  unreadCount: number;
}

describe('in-app notifications', () => {
  it('renders a withdrawal in Korean by default, from sats without floats, once per withdrawal', async () => {
    const { userId, token } = newUser(mod);
    const event = requested(userId);
    expect(await mod.deliver(event)).toBe(true);
    expect(await mod.deliver(event)).toBe(false);
    // Another report of the same withdrawal (a new event id) is not notified again.
    expect(await mod.deliver({ ...event, id: randomUUID() })).toBe(true);

    const page = await mod.request<Page>('GET', '/v1/notifications', { token });
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(1);
    expect(page.body.items[0]).toMatchObject({ type: 'withdrawal.requested', title: '출금 요청 접수', read: false, data: { amountSats: '20000000', address: ADDRESS } });
    expect(page.body.items[0]?.body).toContain('0.20000000 BTC');
    expect(page.body.unreadCount).toBe(1);
  });

  it('writes the notifications of one consumer transaction together as it commits, once per happening', async () => {
    const [first, second] = [newUser(mod), newUser(mod)];
    // A webhook of the first user's (never sent: this module runs no dispatch), so each notification queues a delivery.
    const prisma = mod.get(NotificationPrisma);
    await prisma.webhook.create({ data: { userId: first.userId, url: 'https://hooks.example.com/bitro', events: [], secret: 'not sent' } });
    const consumer = mod.get(NotificationConsumer);
    const handle = (event: DomainEvent, tx: SqlExecutor) => (consumer.handlers as ReadonlyArray<EventHandler>).find((handler) => handler.event.name === event.name)?.handle(event, tx);
    const [w1, w2] = [requested(first.userId), requested(first.userId)];
    const writtenBeforeCommit = await consumer.transaction(async (tx) => {
      for (const event of [w1, w2, { ...w1, id: randomUUID() }, requested(second.userId)]) await handle(event, tx);
      const [row] = await tx.$queryRawUnsafe<Array<{ n: number }>>('SELECT count(*)::int AS n FROM "notification"."notifications" WHERE user_id = ANY($1::uuid[])', [first.userId, second.userId]);
      return row?.n;
    });
    expect(writtenBeforeCommit).toBe(0);
    const pageOf = async (token: string) => (await mod.request<Page>('GET', '/v1/notifications', { token })).body.items.map((item) => item.data['withdrawalId']).sort();
    expect(await pageOf(first.token)).toEqual([w1.payload.withdrawalId, w2.payload.withdrawalId].sort());
    expect(await pageOf(second.token)).toHaveLength(1);
    // One delivery per notification, the second report of the first withdrawal included in neither.
    expect(await prisma.delivery.count({ where: { userId: first.userId } })).toBe(2);
  });

  it('renders in English once the user chooses it, and formats large amounts exactly', async () => {
    const { userId, token } = newUser(mod);
    const put = await mod.request('PUT', '/v1/notifications/preferences', { token, body: { locale: 'en' } });
    expect(put.status).toBe(200);
    const redemptionId = randomUUID();
    await mod.deliver(walletCreditedV1, { journalId: randomUUID(), userId, amountSats: '2100000000000001', reference: `redemption:${redemptionId}`, redemptionId });
    await mod.deliver(redemptionRejectedV1, { redemptionId: randomUUID(), userId, reason: 'invalid-pin' });
    const page = await mod.request<Page>('GET', '/v1/notifications', { token });
    expect(page.body.items.map((item) => item.title).sort()).toEqual(['Gift card redeemed', 'Gift card rejected']);
    expect(page.body.items.find((item) => item.type === 'redemption.credited')?.body).toContain('21,000,000.00000001 BTC');
    expect(page.body.items.find((item) => item.type === 'redemption.rejected')?.body).toContain('Reason: invalid-pin');
  });

  it('ignores wallet credits that are not redemptions', async () => {
    const { userId, token } = newUser(mod);
    await mod.deliver(walletCreditedV1, { journalId: randomUUID(), userId, amountSats: '1', reference: 'deposit:x' });
    expect((await mod.request<Page>('GET', '/v1/notifications', { token })).body.items).toEqual([]);
  });

  it('pages newest first, filters unread, and marks one or all read', async () => {
    const { userId, token } = newUser(mod);
    for (let i = 0; i < 5; i++) await mod.deliver(requested(userId));
    await mod.deliver(userLoginNewDeviceV1, { userId, userAgent: 'Bitro/2 (iPhone)', ip: '203.0.113.1' });

    const first = await mod.request<Page>('GET', '/v1/notifications?limit=4', { token });
    expect(first.body.items).toHaveLength(4);
    expect(first.body.items[0]?.type).toBe('login.new-device');
    const second = await mod.request<Page>('GET', `/v1/notifications?limit=4&cursor=${first.body.nextCursor}`, { token });
    expect(second.body.items).toHaveLength(2);
    expect(second.body.nextCursor).toBeNull();
    expect(new Set([...first.body.items, ...second.body.items].map((item) => item.id)).size).toBe(6);

    const read = await mod.request<{ read: boolean }>('POST', `/v1/notifications/${first.body.items[0]?.id}/read`, { token });
    expect(read.status).toBe(200);
    expect(read.body.read).toBe(true);
    const unread = await mod.request<Page>('GET', '/v1/notifications?unread=true', { token });
    expect(unread.body.items).toHaveLength(5);
    expect(unread.body.unreadCount).toBe(5);

    expect((await mod.request('POST', '/v1/notifications/read-all', { token })).body).toEqual({ updated: 5 });
    expect((await mod.request<Page>('GET', '/v1/notifications?unread=true', { token })).body.items).toEqual([]);
  });

  it("answers 404 for another user's notification and 400 for a bad cursor", async () => {
    const owner = newUser(mod);
    const other = newUser(mod);
    await mod.deliver(requested(owner.userId));
    const [item] = (await mod.request<Page>('GET', '/v1/notifications', { token: owner.token })).body.items;
    expect((await mod.request('POST', `/v1/notifications/${item?.id}/read`, { token: other.token })).status).toBe(404);
    expect((await mod.request('GET', '/v1/notifications?cursor=nope', { token: owner.token })).status).toBe(400);
    expect((await mod.request('GET', '/v1/notifications')).status).toBe(401);
  });
});

describe('preferences', () => {
  it('has every channel on and Korean by default; a change touches only what it names', async () => {
    const { token } = newUser(mod);
    const initial = await mod.request<{ locale: string; events: Record<string, unknown> }>('GET', '/v1/notifications/preferences', { token });
    expect(initial.body.locale).toBe('ko');
    expect(initial.body.events['withdrawal.confirmed']).toEqual({ inApp: true, email: true, webhook: true });
    expect(Object.keys(initial.body.events)).toHaveLength(11);

    await mod.request('PUT', '/v1/notifications/preferences', { token, body: { events: { 'withdrawal.confirmed': { email: false } } } });
    const changed = await mod.request<{ locale: string; events: Record<string, unknown> }>('PUT', '/v1/notifications/preferences', {
      token,
      body: { events: { 'withdrawal.confirmed': { webhook: false } } },
    });
    expect(changed.body.events['withdrawal.confirmed']).toEqual({ inApp: true, email: false, webhook: false });
    expect(changed.body.events['withdrawal.failed']).toEqual({ inApp: true, email: true, webhook: true });
  });

  it('refuses unknown types and locales', async () => {
    const { token } = newUser(mod);
    expect((await mod.request('PUT', '/v1/notifications/preferences', { token, body: { locale: 'fr' } })).status).toBe(400);
    expect((await mod.request('PUT', '/v1/notifications/preferences', { token, body: { events: { 'nope.nope': { email: false } } } })).status).toBe(400);
  });

  it('keeps a notification out of the inbox when in-app is off for its type', async () => {
    const { userId, token } = newUser(mod);
    await mod.request('PUT', '/v1/notifications/preferences', { token, body: { events: { 'withdrawal.confirmed': { inApp: false } } } });
    const withdrawalId = randomUUID();
    await mod.deliver(withdrawalConfirmedV1, { withdrawalId, userId, txid: TXID, vout: 0, feeSats: '1410', confirmations: 1, blockHash: TXID, blockHeight: 120 });
    await mod.deliver(requested(userId, withdrawalId));
    const page = await mod.request<Page>('GET', '/v1/notifications', { token });
    expect(page.body.items.map((item) => item.type)).toEqual(['withdrawal.requested']);
  });
});

describe('webhook registration', () => {
  it('shows the secret once, lists without it, deletes', async () => {
    const { token } = newUser(mod);
    const created = await mod.request<{ id: string; secret: string; events: string[] }>('POST', '/v1/notifications/webhooks', {
      token,
      body: { url: 'https://example.com/hooks', events: ['withdrawal.confirmed'] },
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_[\w-]{43}$/);
    expect(created.body.events).toEqual(['withdrawal.confirmed']);
    const list = await mod.request<{ items: Array<Record<string, unknown>> }>('GET', '/v1/notifications/webhooks', { token });
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).not.toHaveProperty('secret');

    const other = newUser(mod);
    expect((await mod.request('DELETE', `/v1/notifications/webhooks/${created.body.id}`, { token: other.token })).status).toBe(404);
    expect((await mod.request('DELETE', `/v1/notifications/webhooks/${created.body.id}`, { token })).status).toBe(204);
    expect((await mod.request('DELETE', `/v1/notifications/webhooks/${created.body.id}`, { token })).status).toBe(404);
    expect((await mod.request<{ items: unknown[] }>('GET', '/v1/notifications/webhooks', { token })).body.items).toEqual([]);
  });

  it('refuses URLs that are not http(s) or carry credentials', async () => {
    const { token } = newUser(mod);
    for (const url of ['ftp://example.com/x', 'file:///etc/passwd', 'not a url', 'https://user:pw@example.com/']) {
      const answer = await mod.request<{ errors: Array<{ pointer: string }> }>('POST', '/v1/notifications/webhooks', { token, body: { url } });
      expect(answer.status, url).toBe(422);
      expect(answer.body.errors[0]?.pointer).toBe('/url');
    }
  });
});

describe('rejected withdrawals', () => {
  it("tells the user an admin rejected their withdrawal, with the admin's reason, in their language", async () => {
    const korean = newUser(mod);
    const english = newUser(mod);
    await mod.request('PUT', '/v1/notifications/preferences', { token: english.token, body: { locale: 'en' } });
    for (const { userId } of [korean, english]) {
      await mod.deliver(walletWithdrawalRejectedV1, { withdrawalId: randomUUID(), userId, amountSats: '7000000', address: ADDRESS, reason: 'Destination on a sanctions list' });
    }
    const [ko] = (await mod.request<Page>('GET', '/v1/notifications', { token: korean.token })).body.items;
    expect(ko).toMatchObject({ type: 'withdrawal.rejected', title: '출금 거절', data: { amountSats: '7000000', address: ADDRESS, reason: 'Destination on a sanctions list' } });
    expect(ko?.body).toContain('0.07000000 BTC');
    const [en] = (await mod.request<Page>('GET', '/v1/notifications', { token: english.token })).body.items;
    expect(en).toMatchObject({ type: 'withdrawal.rejected', title: 'Withdrawal rejected' });
    expect(en?.body).toContain('Reason: Destination on a sanctions list');
    const preferences = await mod.request<{ events: Record<string, unknown> }>('GET', '/v1/notifications/preferences', { token: english.token });
    expect(preferences.body.events['withdrawal.rejected']).toEqual({ inApp: true, email: true, webhook: true });
  });
});

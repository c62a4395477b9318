import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { withdrawalConfirmedV1, withdrawalRequestedV1 } from '@bitro/gateway-contract';
import { verifyWebhookRequest, WEBHOOK_DELIVERY_HEADER } from '@bitro/service-api';
import { TestUsers } from '@bitro/service-api/testing';
import { type ModuleTest, startSmtpServer, WebhookReceiver } from '@bitro/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryDispatch } from '../src/features/delivery/delivery-dispatch';
import { NotificationPrisma } from '../src/persistence/notification-prisma';
import { dispatchDeliveries, newUser, startNotificationModule } from './notification-module-test';

const ADDRESS = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080';
const users = new TestUsers();
let mod: ModuleTest;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
/** A user's endpoint, verifying Bitro's signatures. */
const startReceiver = () => WebhookReceiver.start({ verify: verifyWebhookRequest, deliveryHeader: WEBHOOK_DELIVERY_HEADER });

beforeAll(async () => {
  smtp = await startSmtpServer();
  // The receivers of these tests listen on this machine.
  mod = await startNotificationModule(
    {
      SMTP_URL: smtp.url,
      SMTP_FROM: 'Bitro <alerts@bitro.test>',
      NOTIFICATION_MAX_ATTEMPTS: '3',
      NOTIFICATION_BACKOFF_MS: '100',
      NOTIFICATION_WEBHOOK_TIMEOUT_MS: '1000',
      NOTIFICATION_WEBHOOK_ALLOW_LOOPBACK: 'true',
    },
    users,
  );
});
afterAll(async () => {
  await mod?.close();
  await smtp?.close();
});

async function withWebhook(receiver: WebhookReceiver, events?: string[]) {
  const user = newUser(mod);
  const created = await mod.request<{ id: string; secret: string }>('POST', '/v1/notifications/webhooks', { token: user.token, body: { url: receiver.url, events } });
  expect(created.status).toBe(201);
  receiver.secret = created.body.secret;
  return { ...user, webhookId: created.body.id };
}

/** A withdrawal of `userId` reported by the gateway, handed to the module's consumer. */
const deliverRequested = (on: ModuleTest, userId: string) =>
  on.deliver(withdrawalRequestedV1, { withdrawalId: randomUUID(), userId, address: ADDRESS, amountSats: '150000', maxFeeSats: '3000' });

interface DeliveryLog {
  items: Array<{ status: string; nextAttemptAt: string | null; attempts: Array<{ attemptNo: number; outcome: string; httpStatus: number | null; error: string | null; durationMs: number }> }>;
}

const deliveryLog = (user: { webhookId: string; token: string }) =>
  mod.request<DeliveryLog>('GET', `/v1/notifications/webhooks/${user.webhookId}/deliveries`, { token: user.token });

describe('e-mail and webhook deliveries', () => {
  it('e-mails the user and POSTs a signed webhook, each attempt in the delivery log', async () => {
    const receiver = await startReceiver();
    try {
      const user = await withWebhook(receiver);
      await deliverRequested(mod, user.userId);
      expect(smtp.mails).toHaveLength(0);
      await dispatchDeliveries(mod);

      const mail = smtp.mails.find((candidate) => candidate.to && JSON.stringify(candidate.to).includes(user.userId));
      expect(mail?.subject).toBe('출금 요청 접수');
      expect(mail?.text).toContain('0.00150000 BTC');
      expect(mail?.from?.text).toContain('alerts@bitro.test');

      expect(receiver.received).toHaveLength(1);
      const [hook] = receiver.received;
      expect(hook?.verified).toBe(true);
      expect(hook?.body).toMatchObject({ type: 'withdrawal.requested', data: { amountSats: '150000', address: ADDRESS } });
      expect(hook?.deliveryId).toBe(hook?.body.id);

      const log = await deliveryLog(user);
      expect(log.body.items).toHaveLength(1);
      expect(log.body.items[0]).toMatchObject({ status: 'delivered', attempts: [{ attemptNo: 1, outcome: 'delivered', httpStatus: 204, error: null }] });
      const [email] = await mod.get(NotificationPrisma).delivery.findMany({ where: { userId: user.userId, channel: 'email' }, include: { attemptLog: true } });
      expect(email?.status).toBe('delivered');
      expect(email?.attemptLog[0]?.smtpResponse).toMatch(/^250/);
      // Nothing is due any more.
      expect(await dispatchDeliveries(mod)).toBe(0);
    } finally {
      await receiver.stop();
    }
  });

  it('retries a webhook whose receiver is down with backoff, and delivers once it is back', async () => {
    const receiver = await startReceiver();
    const user = await withWebhook(receiver, ['withdrawal.requested']);
    await receiver.stop();
    await deliverRequested(mod, user.userId);
    await dispatchDeliveries(mod);

    let log = await deliveryLog(user);
    expect(log.body.items[0]).toMatchObject({ status: 'pending', attempts: [{ attemptNo: 1, outcome: 'failed', httpStatus: null }] });
    // A reason, not the socket's message (which would name the address and port).
    expect(log.body.items[0]?.attempts[0]?.error).toBe('connection-refused');
    const failedAt = await mod.get(NotificationPrisma).deliveryAttempt.findFirstOrThrow({ where: { delivery: { webhookId: user.webhookId } } });
    const pending = await mod.get(NotificationPrisma).delivery.findFirstOrThrow({ where: { webhookId: user.webhookId } });
    expect(pending.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(failedAt.attemptedAt.getTime() + 90);
    // The worker's schedule sleeps until then (or until something earlier is due).
    expect(await mod.get(DeliveryDispatch).nextDueInMs()).toBeLessThanOrEqual(100);

    // Each look runs the dispatch, as the worker's schedule would: nothing is due before the backoff is over.
    log = await mod
      .scenario()
      .stimulate(() => receiver.start())
      .andWaitForStateChange(
        async () => {
          await dispatchDeliveries(mod);
          return deliveryLog(user);
        },
        (seen) => (seen.body.items[0]?.attempts.length ?? 0) >= 2,
        { description: 'the second attempt of the webhook delivery' },
      );
    expect(log.body.items[0]?.status).toBe('delivered');
    expect(log.body.items[0]?.attempts.map((attempt) => attempt.outcome)).toEqual(['failed', 'delivered']);
    expect(receiver.received.filter((hook) => hook.verified)).toHaveLength(1);
    await receiver.stop();
  });

  it('gives up after NOTIFICATION_MAX_ATTEMPTS on a receiver that keeps refusing, and only sends types it subscribed to', async () => {
    const receiver = await startReceiver();
    const user = await withWebhook(receiver, ['withdrawal.requested']);
    receiver.secret = 'not-the-secret'; // every request now fails verification: 401
    await deliverRequested(mod, user.userId);
    await mod.deliver(withdrawalConfirmedV1, { withdrawalId: randomUUID(), userId: user.userId, txid: 'cd'.repeat(32), vout: 1, feeSats: '141', confirmations: 1, blockHash: 'ef'.repeat(32), blockHeight: 7 });
    // Each look runs the dispatch, as the worker's schedule would, until the delivery is given up (or delivered).
    const log = await mod
      .scenario()
      .stimulate(() => undefined)
      .andWaitForStateChange(
        async () => {
          await dispatchDeliveries(mod);
          return deliveryLog(user);
        },
        (seen) => seen.body.items[0]?.status !== 'pending',
        { description: 'the webhook delivery to end' },
      );
    expect(log.body.items).toHaveLength(1);
    expect(log.body.items[0]?.status).toBe('failed');
    expect(log.body.items[0]?.attempts.map((attempt) => attempt.httpStatus)).toEqual([401, 401, 401]);
    expect(log.body.items[0]?.attempts.map((attempt) => attempt.error)).toEqual(['http-401', 'http-401', 'http-401']);
    await dispatchDeliveries(mod);
    expect(receiver.received).toHaveLength(3);
    await receiver.stop();
  });

  it('sends nothing on channels the user turned off, and gives up e-mail to a user that does not exist', async () => {
    const receiver = await startReceiver();
    const user = await withWebhook(receiver);
    await mod.request('PUT', '/v1/notifications/preferences', { token: user.token, body: { events: { 'withdrawal.requested': { webhook: false } } } });
    users.missing.add(user.userId);
    await deliverRequested(mod, user.userId);
    await dispatchDeliveries(mod);
    expect(receiver.received).toHaveLength(0);
    const deliveries = await mod.get(NotificationPrisma).delivery.findMany({ where: { userId: user.userId }, include: { attemptLog: true } });
    expect(deliveries.map((delivery) => [delivery.channel, delivery.status, delivery.attemptLog.length])).toEqual([['email', 'failed', 1]]);
    await receiver.stop();
  });
});

describe('webhook addresses', () => {
  it('records a receiver that does not answer in time as a timeout', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const user = newUser(mod);
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/hook`;
      const created = await mod.request<{ id: string }>('POST', '/v1/notifications/webhooks', { token: user.token, body: { url } });
      await deliverRequested(mod, user.userId);
      await dispatchDeliveries(mod);
      const attempt = await mod.get(NotificationPrisma).deliveryAttempt.findFirstOrThrow({ where: { delivery: { webhookId: created.body.id } } });
      expect([attempt.error, attempt.httpStatus]).toEqual(['timeout', null]);
      expect(attempt.durationMs).toBeGreaterThanOrEqual(900);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('refuses loopback without the setting, at registration (422 naming the field) and on every delivery', async () => {
    const strict = await startNotificationModule({ NOTIFICATION_WEBHOOK_ALLOW_LOOPBACK: 'false' });
    const receiver = await startReceiver();
    try {
      const user = newUser(strict);
      for (const url of [receiver.url, receiver.url.replace('127.0.0.1', 'localhost'), 'http://[::ffff:127.0.0.1]/', 'http://[64:ff9b::7f00:1]/', 'http://[2002:7f00:1::]/', 'http://[fec0::1]/']) {
        const refused = await strict.request<{ type: string; errors: Array<{ in: string; pointer: string }> }>('POST', '/v1/notifications/webhooks', { token: user.token, body: { url } });
        expect(refused.status, url).toBe(422);
        expect(refused.body.type).toBe('https://bitro.dev/problems/invalid-webhook-url');
        expect(refused.body.errors).toEqual([expect.objectContaining({ in: 'body', pointer: '/url' })]);
      }
      // Endpoints accepted earlier (their name resolved to a public address then, or the setting was on): each
      // delivery checks the address it would connect to, so a name now resolving to loopback reaches nothing.
      const urls = [receiver.url, receiver.url.replace('127.0.0.1', 'localhost')];
      for (const url of urls) await strict.get(NotificationPrisma).webhook.create({ data: { userId: user.userId, url, events: [], secret: 'whsec_test' } });
      await deliverRequested(strict, user.userId);
      await dispatchDeliveries(strict);
      const attempts = await strict.get(NotificationPrisma).deliveryAttempt.findMany({ where: { delivery: { userId: user.userId, channel: 'webhook' } } });
      expect(attempts.map((attempt) => attempt.error)).toEqual(['address-not-allowed', 'address-not-allowed']);
      expect(receiver.received).toHaveLength(0);
    } finally {
      await receiver.stop();
      await strict.close();
    }
  });
});

describe('a dead SMTP server', () => {
  it('fails only the e-mail, never the webhook, and writes no e-mail delivery without SMTP_URL', async () => {
    const dead = await startSmtpServer();
    await dead.close();
    const other = await startNotificationModule({ SMTP_URL: dead.url, NOTIFICATION_WEBHOOK_TIMEOUT_MS: '1000', NOTIFICATION_WEBHOOK_ALLOW_LOOPBACK: 'true' });
    const receiver = await startReceiver();
    try {
      const user = newUser(other);
      const created = await other.request<{ secret: string }>('POST', '/v1/notifications/webhooks', { token: user.token, body: { url: receiver.url } });
      receiver.secret = created.body.secret;
      await deliverRequested(other, user.userId);
      await dispatchDeliveries(other);
      expect(receiver.received.map((hook) => hook.verified)).toEqual([true]);
      const email = await other.get(NotificationPrisma).delivery.findFirstOrThrow({ where: { userId: user.userId, channel: 'email' }, include: { attemptLog: true } });
      expect(email.status).toBe('pending');
      expect(email.attemptLog[0]?.error).toMatch(/ECONNREFUSED/);
    } finally {
      await receiver.stop();
      await other.close();
    }

    const noSmtp = await startNotificationModule();
    try {
      const user = newUser(noSmtp);
      await deliverRequested(noSmtp, user.userId);
      expect(await noSmtp.get(NotificationPrisma).delivery.count({ where: { userId: user.userId } })).toBe(0);
      expect(await noSmtp.get(NotificationPrisma).notification.count({ where: { userId: user.userId } })).toBe(1);
    } finally {
      await noSmtp.close();
    }
  });
});

import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { withdrawalConfirmedV1, withdrawalRequestedV1 } from '@bitro/gateway-contract';
import { newEvent } from '@bitro/messaging';
import { verifyWebhookRequest, WEBHOOK_DELIVERY_HEADER } from '@bitro/service-api';
import { startSmtpServer, WebhookReceiver } from '@bitro/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NotificationTestApp, startNotificationApp } from './notification-test-app';

const ADDRESS = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080';
let api: NotificationTestApp;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
/** A user's endpoint, verifying Bitro's signatures. */
const startReceiver = () => WebhookReceiver.start({ verify: verifyWebhookRequest, deliveryHeader: WEBHOOK_DELIVERY_HEADER });

beforeAll(async () => {
  smtp = await startSmtpServer();
  // The receivers of these tests listen on this machine.
  api = await startNotificationApp({
    SMTP_URL: smtp.url,
    SMTP_FROM: 'Bitro <alerts@bitro.test>',
    NOTIFICATION_MAX_ATTEMPTS: '3',
    NOTIFICATION_BACKOFF_MS: '100',
    NOTIFICATION_WEBHOOK_TIMEOUT_MS: '1000',
    NOTIFICATION_WEBHOOK_ALLOW_LOOPBACK: 'true',
  });
});
afterAll(async () => {
  await api?.close();
  await smtp?.close();
});

async function withWebhook(receiver: WebhookReceiver, events?: string[]) {
  const user = api.newUser();
  const created = await api.request<{ id: string; secret: string }>('POST', '/v1/notifications/webhooks', user.token, { url: receiver.url, events });
  expect(created.status).toBe(201);
  receiver.secret = created.body.secret;
  return { ...user, webhookId: created.body.id };
}

const requested = (userId: string) => newEvent(withdrawalRequestedV1, { withdrawalId: randomUUID(), userId, address: ADDRESS, amountSats: '150000', maxFeeSats: '3000' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface DeliveryLog {
  items: Array<{ status: string; nextAttemptAt: string | null; attempts: Array<{ attemptNo: number; outcome: string; httpStatus: number | null; error: string | null; durationMs: number }> }>;
}

describe('e-mail and webhook deliveries', () => {
  it('e-mails the user and POSTs a signed webhook, each attempt in the delivery log', async () => {
    const receiver = await startReceiver();
    try {
      const user = await withWebhook(receiver);
      await api.deliver(requested(user.userId));
      expect(smtp.mails).toHaveLength(0);
      await api.dispatch.run();

      const mail = smtp.mails.find((candidate) => candidate.to && JSON.stringify(candidate.to).includes(user.userId));
      expect(mail?.subject).toBe('출금 요청 접수');
      expect(mail?.text).toContain('0.00150000 BTC');
      expect(mail?.from?.text).toContain('alerts@bitro.test');

      expect(receiver.received).toHaveLength(1);
      const [hook] = receiver.received;
      expect(hook?.verified).toBe(true);
      expect(hook?.body).toMatchObject({ type: 'withdrawal.requested', data: { amountSats: '150000', address: ADDRESS } });
      expect(hook?.deliveryId).toBe(hook?.body.id);

      const log = await api.request<DeliveryLog>('GET', `/v1/notifications/webhooks/${user.webhookId}/deliveries`, user.token);
      expect(log.body.items).toHaveLength(1);
      expect(log.body.items[0]).toMatchObject({ status: 'delivered', attempts: [{ attemptNo: 1, outcome: 'delivered', httpStatus: 204, error: null }] });
      const [email] = await api.prisma.delivery.findMany({ where: { userId: user.userId, channel: 'email' }, include: { attemptLog: true } });
      expect(email?.status).toBe('delivered');
      expect(email?.attemptLog[0]?.smtpResponse).toMatch(/^250/);
      // Nothing is due any more.
      expect(await api.dispatch.run()).toBe(0);
    } finally {
      await receiver.stop();
    }
  });

  it('retries a webhook whose receiver is down with backoff, and delivers once it is back', async () => {
    const receiver = await startReceiver();
    const user = await withWebhook(receiver, ['withdrawal.requested']);
    await receiver.stop();
    await api.deliver(requested(user.userId));
    await api.dispatch.run();

    let log = await api.request<DeliveryLog>('GET', `/v1/notifications/webhooks/${user.webhookId}/deliveries`, user.token);
    expect(log.body.items[0]).toMatchObject({ status: 'pending', attempts: [{ attemptNo: 1, outcome: 'failed', httpStatus: null }] });
    // A reason, not the socket's message (which would name the address and port).
    expect(log.body.items[0]?.attempts[0]?.error).toBe('connection-refused');
    const failedAt = await api.prisma.deliveryAttempt.findFirstOrThrow({ where: { delivery: { webhookId: user.webhookId } } });
    const pending = await api.prisma.delivery.findFirstOrThrow({ where: { webhookId: user.webhookId } });
    expect(pending.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(failedAt.attemptedAt.getTime() + 90);

    await receiver.start();
    await sleep(150);
    await api.dispatch.run();
    log = await api.request<DeliveryLog>('GET', `/v1/notifications/webhooks/${user.webhookId}/deliveries`, user.token);
    expect(log.body.items[0]?.status).toBe('delivered');
    expect(log.body.items[0]?.attempts.map((attempt) => attempt.outcome)).toEqual(['failed', 'delivered']);
    expect(receiver.received.filter((hook) => hook.verified)).toHaveLength(1);
    await receiver.stop();
  });

  it('gives up after NOTIFICATION_MAX_ATTEMPTS on a receiver that keeps refusing, and only sends types it subscribed to', async () => {
    const receiver = await startReceiver();
    const user = await withWebhook(receiver, ['withdrawal.requested']);
    receiver.secret = 'not-the-secret'; // every request now fails verification: 401
    await api.deliver(requested(user.userId));
    await api.deliver(newEvent(withdrawalConfirmedV1, { withdrawalId: randomUUID(), userId: user.userId, txid: 'cd'.repeat(32), vout: 1, feeSats: '141', confirmations: 1, blockHash: 'ef'.repeat(32), blockHeight: 7 }));
    for (let run = 0; run < 3; run++) {
      await api.dispatch.run();
      await sleep(450);
    }
    const log = await api.request<DeliveryLog>('GET', `/v1/notifications/webhooks/${user.webhookId}/deliveries`, user.token);
    expect(log.body.items).toHaveLength(1);
    expect(log.body.items[0]?.status).toBe('failed');
    expect(log.body.items[0]?.attempts.map((attempt) => attempt.httpStatus)).toEqual([401, 401, 401]);
    expect(log.body.items[0]?.attempts.map((attempt) => attempt.error)).toEqual(['http-401', 'http-401', 'http-401']);
    await api.dispatch.run();
    expect(receiver.received).toHaveLength(3);
    await receiver.stop();
  });

  it('sends nothing on channels the user turned off, and gives up e-mail to a user that does not exist', async () => {
    const receiver = await startReceiver();
    const user = await withWebhook(receiver);
    await api.request('PUT', '/v1/notifications/preferences', user.token, { events: { 'withdrawal.requested': { webhook: false } } });
    api.users.missing.add(user.userId);
    await api.deliver(requested(user.userId));
    await api.dispatch.run();
    expect(receiver.received).toHaveLength(0);
    const deliveries = await api.prisma.delivery.findMany({ where: { userId: user.userId }, include: { attemptLog: true } });
    expect(deliveries.map((delivery) => [delivery.channel, delivery.status, delivery.attemptLog.length])).toEqual([['email', 'failed', 1]]);
    await receiver.stop();
  });
});

describe('webhook addresses', () => {
  it('records a receiver that does not answer in time as a timeout', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const user = api.newUser();
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/hook`;
      const created = await api.request<{ id: string }>('POST', '/v1/notifications/webhooks', user.token, { url });
      await api.deliver(requested(user.userId));
      await api.dispatch.run();
      const attempt = await api.prisma.deliveryAttempt.findFirstOrThrow({ where: { delivery: { webhookId: created.body.id } } });
      expect([attempt.error, attempt.httpStatus]).toEqual(['timeout', null]);
      expect(attempt.durationMs).toBeGreaterThanOrEqual(900);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('refuses loopback without the setting, at registration (422 naming the field) and on every delivery', async () => {
    const strict = await startNotificationApp({ NOTIFICATION_WEBHOOK_ALLOW_LOOPBACK: 'false' });
    const receiver = await startReceiver();
    try {
      const user = strict.newUser();
      for (const url of [receiver.url, receiver.url.replace('127.0.0.1', 'localhost'), 'http://[::ffff:127.0.0.1]/', 'http://[64:ff9b::7f00:1]/', 'http://[2002:7f00:1::]/', 'http://[fec0::1]/']) {
        const refused = await strict.request<{ type: string; errors: Array<{ in: string; pointer: string }> }>('POST', '/v1/notifications/webhooks', user.token, { url });
        expect(refused.status, url).toBe(422);
        expect(refused.body.type).toBe('https://bitro.dev/problems/invalid-webhook-url');
        expect(refused.body.errors).toEqual([expect.objectContaining({ in: 'body', pointer: '/url' })]);
      }
      // Endpoints accepted earlier (their name resolved to a public address then, or the setting was on): each
      // delivery checks the address it would connect to, so a name now resolving to loopback reaches nothing.
      const urls = [receiver.url, receiver.url.replace('127.0.0.1', 'localhost')];
      for (const url of urls) await strict.prisma.webhook.create({ data: { userId: user.userId, url, events: [], secret: 'whsec_test' } });
      await strict.deliver(requested(user.userId));
      await strict.dispatch.run();
      const attempts = await strict.prisma.deliveryAttempt.findMany({ where: { delivery: { userId: user.userId, channel: 'webhook' } } });
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
    const other = await startNotificationApp({ SMTP_URL: dead.url, NOTIFICATION_WEBHOOK_TIMEOUT_MS: '1000', NOTIFICATION_WEBHOOK_ALLOW_LOOPBACK: 'true' });
    const receiver = await startReceiver();
    try {
      const user = other.newUser();
      const created = await other.request<{ secret: string }>('POST', '/v1/notifications/webhooks', user.token, { url: receiver.url });
      receiver.secret = created.body.secret;
      await other.deliver(requested(user.userId));
      await other.dispatch.run();
      expect(receiver.received.map((hook) => hook.verified)).toEqual([true]);
      const email = await other.prisma.delivery.findFirstOrThrow({ where: { userId: user.userId, channel: 'email' }, include: { attemptLog: true } });
      expect(email.status).toBe('pending');
      expect(email.attemptLog[0]?.error).toMatch(/ECONNREFUSED/);
    } finally {
      await receiver.stop();
      await other.close();
    }

    const noSmtp = await startNotificationApp();
    try {
      const user = noSmtp.newUser();
      await noSmtp.deliver(requested(user.userId));
      expect(await noSmtp.prisma.delivery.count({ where: { userId: user.userId } })).toBe(0);
      expect(await noSmtp.prisma.notification.count({ where: { userId: user.userId } })).toBe(1);
    } finally {
      await noSmtp.close();
    }
  });
});

import { unwrap } from '@bitro/client';
import { verifyWebhookRequest, WEBHOOK_DELIVERY_HEADER } from '@bitro/service-api';
import { startSmtpServer, WebhookReceiver } from '@bitro/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, freePort, fundedUser, requestWithdrawal, System, type User, withdrawalReaches } from '@bitro/system-testing';

/** The receiver's verified hook of `type` about `withdrawalId`. */
function hookFor(receiver: WebhookReceiver, type: string, withdrawalId: string) {
  return receiver.received.find((hook) => hook.verified && hook.body.type === type && hook.body.data['withdrawalId'] === withdrawalId);
}

let system: System;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let receiver: WebhookReceiver;

beforeAll(async () => {
  smtp = await startSmtpServer();
  receiver = await WebhookReceiver.start({ verify: verifyWebhookRequest, deliveryHeader: WEBHOOK_DELIVERY_HEADER, port: await freePort() });
  system = await System.start({
    SMTP_URL: smtp.url,
    NOTIFICATION_POLL_INTERVAL_MS: '200',
    NOTIFICATION_BACKOFF_MS: '200',
    NOTIFICATION_BACKOFF_MAX_MS: '1000',
    NOTIFICATION_MAX_ATTEMPTS: '100',
    NOTIFICATION_WEBHOOK_TIMEOUT_MS: '1000',
    // The receiver listens on this machine.
    NOTIFICATION_WEBHOOK_ALLOW_LOOPBACK: 'true',
  });
});

afterAll(async () => {
  await system?.close();
  await receiver?.stop();
  await smtp?.close();
});

async function withWebhook(user: User): Promise<string> {
  const created = await user.client.POST('/v1/notifications/webhooks', {
    body: { url: `http://127.0.0.1:${receiver.port}/bitro`, events: ['withdrawal.requested', 'withdrawal.confirmed'] },
  });
  expect(created.response.status, JSON.stringify(created.error)).toBe(201);
  const webhook = await unwrap(created);
  receiver.secret = webhook.secret;
  return webhook.id;
}

async function withdrawConfirmed(user: User, timeoutMs?: number): Promise<string> {
  const { withdrawal } = await requestWithdrawal(system, user, 10_000_000n);
  await withdrawalReaches(system, user, withdrawal.id, 'broadcast', timeoutMs);
  await system.mine(1);
  await withdrawalReaches(system, user, withdrawal.id, 'confirmed', timeoutMs);
  return withdrawal.id;
}

describe('notifications across bitro-api, bitcoin-gateway and the node', () => {
  it('tells the user of a withdrawal in the app, by e-mail and on their verified webhook', async () => {
    const user = await fundedUser(system, 50_000_000n);
    const me = await unwrap(user.client.GET('/v1/me'));
    await withWebhook(user);
    const withdrawalId = await withdrawConfirmed(user);

    const inbox = await eventually(
      async () => {
        const { items } = await unwrap(user.client.GET('/v1/notifications'));
        return items.some((item) => item.type === 'withdrawal.confirmed') ? items : undefined;
      },
      () => `no in-app notification\n${system.logs()}`,
    );
    expect(inbox.map((item) => item.type)).toEqual(expect.arrayContaining(['withdrawal.requested', 'withdrawal.confirmed', 'deposit.confirmed']));
    expect(inbox.find((item) => item.type === 'withdrawal.requested')?.body).toContain('0.10000000 BTC');

    const mail = await eventually(
      async () => smtp.mails.find((candidate) => candidate.subject === '출금 완료' && JSON.stringify(candidate.to).includes(me.email)),
      () => `no e-mail to ${me.email}\n${system.logs()}`,
    );
    expect(mail.text).toContain('수수료');

    const hook = await eventually(async () => hookFor(receiver, 'withdrawal.confirmed', withdrawalId), () => `no webhook\n${system.logs()}`);
    expect(hook.verified).toBe(true);
    expect(hookFor(receiver, 'withdrawal.requested', withdrawalId)).toBeDefined();
  });

  it('does not hold a withdrawal back while the webhook receiver is down, and delivers once it is back', async () => {
    const user = await fundedUser(system, 50_000_000n);
    const webhookId = await withWebhook(user);
    await receiver.stop();

    const started = Date.now();
    const withdrawalId = await withdrawConfirmed(user, 20_000);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(hookFor(receiver, 'withdrawal.confirmed', withdrawalId)).toBeUndefined();

    const log = await eventually(
      async () => {
        const { items } = await unwrap(user.client.GET('/v1/notifications/webhooks/{id}/deliveries', { params: { path: { id: webhookId } } }));
        const confirmed = items.find((item) => item.type === 'withdrawal.confirmed');
        return confirmed && confirmed.attempts.length >= 2 ? confirmed : undefined;
      },
      () => `no failed attempts logged\n${system.logs()}`,
    );
    expect(log.status).toBe('pending');
    expect(log.attempts.every((attempt) => attempt.outcome === 'failed')).toBe(true);

    await receiver.start();
    const hook = await eventually(async () => hookFor(receiver, 'withdrawal.confirmed', withdrawalId), () => `the webhook never arrived\n${system.logs()}`);
    expect(hook.verified).toBe(true);
    // Delivered once, however many attempts failed before.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(receiver.received.filter((candidate) => candidate.deliveryId === hook.deliveryId)).toHaveLength(1);
  });
});

import { randomUUID } from 'node:crypto';
import { withdrawalRequestedV1 } from '@bitro/gateway-contract';
import { verifyWebhookRequest, WEBHOOK_DELIVERY_HEADER } from '@bitro/service-api';
import { type ModuleTest, WebhookReceiver } from '@bitro/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newUser, startNotificationModule } from './notification-module-test';

let mod: ModuleTest;

beforeAll(async () => {
  // The worker's schedule runs, with a poll far longer than the test: only the commit's wake can send in time.
  mod = await startNotificationModule({ BITRO_ROLES: 'http,worker', NOTIFICATION_POLL_INTERVAL_MS: '600000', NOTIFICATION_WEBHOOK_ALLOW_LOOPBACK: 'true' });
});
afterAll(() => mod?.close());

it('sends a delivery as soon as the consumer commits it, without waiting for the poll', async () => {
  const receiver = await WebhookReceiver.start({ verify: verifyWebhookRequest, deliveryHeader: WEBHOOK_DELIVERY_HEADER });
  try {
    const user = newUser(mod);
    const created = await mod.request<{ id: string; secret: string }>('POST', '/v1/notifications/webhooks', { token: user.token, body: { url: receiver.url } });
    expect(created.status).toBe(201);
    receiver.secret = created.body.secret;
    // The schedule's first run (at start) is over: this delivery is not due at a poll for ten minutes.
    await new Promise((resolve) => setTimeout(resolve, 500));

    const address = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080';
    const hooks = await mod
      .scenario()
      .stimulate(() => mod.deliver(withdrawalRequestedV1, { withdrawalId: randomUUID(), userId: user.userId, address, amountSats: '1000', maxFeeSats: '300' }))
      .andWaitForStateChange(
        async () => receiver.received,
        (received) => received.length >= 1,
        { description: 'the webhook delivery', timeoutMs: 5_000 },
      );
    expect(hooks[0]?.verified).toBe(true);
  } finally {
    await receiver.stop();
  }
});

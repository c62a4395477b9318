import { unwrap } from '@bitro/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookRequest, WEBHOOK_DELIVERY_HEADER } from '@bitro/service-api';
import { eventually, freePort, fundedUser, requestWithdrawal, System, withdrawalReaches } from '@bitro/system-testing';
import { WebhookReceiver } from '@bitro/testing';
import { OtlpReceiver, type ReceivedSpan, traceTree } from './otlp-receiver';

let receiver: OtlpReceiver;
let system: System;
let webhooks: WebhookReceiver;

beforeAll(async () => {
  receiver = await OtlpReceiver.start();
  webhooks = await WebhookReceiver.start({ verify: verifyWebhookRequest, deliveryHeader: WEBHOOK_DELIVERY_HEADER, port: await freePort() });
  // The standard variables only; a short export delay so that spans arrive while the test waits.
  const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '100' };
  // The webhook receiver listens on this machine.
  system = await System.start({ ...otel, NOTIFICATION_WEBHOOK_ALLOW_LOOPBACK: 'true', NOTIFICATION_POLL_INTERVAL_MS: '200' }, { gatewayEnv: otel });
});

afterAll(async () => {
  await system?.close();
  await receiver?.close();
  await webhooks?.stop();
});

/** The one span named `name` (each test makes one such request), once exported. */
const onlySpan = (name: string, service: string) =>
  eventually(
    async () => {
      const found = receiver.spans.filter((span) => span.name === name && span.service === service);
      if (found.length > 1) throw new Error(`more than one ${name}`);
      return found[0];
    },
    () => `no span ${name} from ${service}`,
  );

/** The spans of `root`'s trace, once one span matches each of `expected`. */
const traceHolding = (root: ReceivedSpan, expected: ReadonlyArray<(span: ReceivedSpan) => boolean>) =>
  eventually(
    async () => {
      const spans = receiver.trace(root.traceId);
      return expected.every((matches) => spans.some(matches)) ? spans : undefined;
    },
    () => `trace ${root.traceId} is missing spans; it holds:\n${traceTree(receiver.trace(root.traceId))}`,
  );

const processedBy = (event: string, consumer: string, service: string) => (span: ReceivedSpan) =>
  span.name === `process ${event}` && span.attributes['messaging.consumer.group.name'] === consumer && span.service === service;
const named = (name: string, service: string) => (span: ReceivedSpan) => span.name === name && span.service === service;

describe('traces across bitro-api, the queues and bitcoin-gateway (OTLP/HTTP JSON)', () => {
  it('exports a redemption as one trace holding the HTTP request and the wallet crediting it', async () => {
    const user = await system.signup();
    const accepted = await user.client.POST('/v1/giftcards/redemptions', { body: { brand: 'cultureland', pin: '1111-2222-3333-4444' } });
    expect(accepted.response.status, JSON.stringify(accepted.error)).toBe(202);
    const request = await onlySpan('POST /v1/giftcards/redemptions', 'bitro-api');
    const spans = await traceHolding(request, [processedBy('giftcard.redemption-approved.v1', 'wallet', 'bitro-api')]);
    const credit = spans.find(processedBy('giftcard.redemption-approved.v1', 'wallet', 'bitro-api'));
    const append = spans.find((span) => span.spanId === credit?.parentSpanId);
    expect(append?.name).toBe('create giftcard.redemption-approved.v1');
    expect([...receiver.contentTypes]).toEqual(['application/json']);
  });

  it('exports a withdrawal as one trace from the HTTP request through the gateway\'s payout to the wallet settling it', async () => {
    const user = await fundedUser(system, 50_000_000n);
    const webhook = await unwrap(user.client.POST('/v1/notifications/webhooks', { body: { url: `http://127.0.0.1:${webhooks.port}/bitro`, events: ['withdrawal.confirmed'] } }));
    webhooks.secret = webhook.secret;
    const { withdrawal } = await requestWithdrawal(system, user, 20_000_000n);
    await withdrawalReaches(system, user, withdrawal.id, 'broadcast');
    await system.mine(1);
    await withdrawalReaches(system, user, withdrawal.id, 'confirmed');

    const request = await onlySpan('POST /v1/wallet/withdrawals', 'bitro-api');
    const spans = await traceHolding(request, [
      named('withdrawal payout', 'bitcoin-gateway'),
      processedBy('gateway.withdrawal-requested.v1', 'gateway-withdrawals', 'bitcoin-gateway'),
      processedBy('gateway.withdrawal-broadcast.v1', 'wallet', 'bitro-api'),
      processedBy('gateway.withdrawal-confirmed.v1', 'wallet', 'bitro-api'),
      named('webhook delivery', 'bitro-api'),
    ]);
    console.log(`The trace of withdrawal ${withdrawal.id} (${request.traceId}):\n${traceTree(spans)}`);
    // One trace, two services; every span but the request's has its parent in the trace.
    expect(new Set(spans.map((span) => span.service))).toEqual(new Set(['bitro-api', 'bitcoin-gateway']));
    const ids = new Set(spans.map((span) => span.spanId));
    expect(spans.filter((span) => span.parentSpanId && !ids.has(span.parentSpanId))).toEqual([]);
    expect(spans.filter((span) => !span.parentSpanId).map((span) => span.name)).toEqual(['POST /v1/wallet/withdrawals']);
  });
});

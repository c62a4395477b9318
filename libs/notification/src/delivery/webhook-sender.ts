import { Inject, Injectable } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { signWebhook, WEBHOOK_DELIVERY_HEADER, WEBHOOK_EVENT_HEADER, WEBHOOK_SIGNATURE_HEADER } from '@bitro/service-api';

export interface WebhookRequest {
  url: string;
  secret: string;
  deliveryId: string;
  type: string;
  rawBody: string;
}

export class WebhookRefused extends Error {
  constructor(readonly httpStatus: number) {
    super(`The receiver answered ${httpStatus}`);
    this.name = 'WebhookRefused';
  }
}

/** POSTs one signed webhook; a 2xx answer within NOTIFICATION_WEBHOOK_TIMEOUT_MS is a delivery. */
@Injectable()
export class WebhookSender {
  constructor(@Inject(BITRO_ENV) private readonly env: BitroEnv) {}

  /** The receiver's HTTP status; throws {@link WebhookRefused} for a non-2xx answer, or the network error. */
  async send(request: WebhookRequest): Promise<number> {
    const response = await fetch(request.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(this.env.NOTIFICATION_WEBHOOK_TIMEOUT_MS),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Bitro-Webhooks/1',
        [WEBHOOK_SIGNATURE_HEADER]: signWebhook(request.secret, request.rawBody),
        [WEBHOOK_DELIVERY_HEADER]: request.deliveryId,
        [WEBHOOK_EVENT_HEADER]: request.type,
      },
      body: request.rawBody,
    });
    await response.body?.cancel();
    if (response.status < 200 || response.status > 299) throw new WebhookRefused(response.status);
    return response.status;
  }
}

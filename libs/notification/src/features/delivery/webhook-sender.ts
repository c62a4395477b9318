import { Inject, Injectable } from '@nestjs/common';
import { BITRO_ENV, type BitroEnv } from '@bitro/config';
import { signWebhook, WEBHOOK_DELIVERY_HEADER, WEBHOOK_EVENT_HEADER, WEBHOOK_SIGNATURE_HEADER } from '@bitro/service-api';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { AddressNotAllowed, guardedLookup } from '../webhooks/guarded-lookup';
import { refusedRange } from '../webhooks/webhook-address';

export interface WebhookRequest {
  url: string;
  secret: string;
  deliveryId: string;
  type: string;
  rawBody: string;
}

/**
 * A failed webhook attempt, as the delivery log records it: a reason (`address-not-allowed`, `connection-refused`,
 * `timeout`, `http-<status>`, ...), never the socket's own message, which names addresses and ports.
 */
export class WebhookFailure extends Error {
  constructor(
    readonly reason: string,
    readonly httpStatus?: number,
  ) {
    super(reason);
    this.name = 'WebhookFailure';
  }
}

const REASONS: Record<string, string> = {
  EADDRNOTALLOWED: 'address-not-allowed',
  ECONNREFUSED: 'connection-refused',
  ECONNRESET: 'connection-reset',
  EPIPE: 'connection-reset',
  ETIMEDOUT: 'timeout',
  ENOTFOUND: 'host-not-found',
  EAI_AGAIN: 'host-not-found',
  EHOSTUNREACH: 'host-unreachable',
  ENETUNREACH: 'host-unreachable',
};

function failureOf(error: unknown): WebhookFailure {
  if (error instanceof WebhookFailure) return error;
  const code = String((error as NodeJS.ErrnoException | undefined)?.code ?? '');
  if (REASONS[code]) return new WebhookFailure(REASONS[code]);
  if (/^(ERR_TLS|ERR_SSL|CERT_|DEPTH_|UNABLE_TO_|SELF_SIGNED|HOSTNAME_MISMATCH)/.test(code)) return new WebhookFailure('tls-error');
  return new WebhookFailure('network-error');
}

/** POSTs one signed webhook; a 2xx answer within NOTIFICATION_WEBHOOK_TIMEOUT_MS is a delivery. */
@Injectable()
export class WebhookSender {
  private readonly lookup: LookupFunction;

  constructor(@Inject(BITRO_ENV) private readonly env: BitroEnv) {
    this.lookup = guardedLookup(env.NOTIFICATION_WEBHOOK_ALLOW_LOOPBACK);
  }

  /** The receiver's HTTP status; throws a {@link WebhookFailure} for anything but a 2xx answer. */
  async send(request: WebhookRequest): Promise<number> {
    const url = new URL(request.url);
    // An address literal is connected to without a lookup: checked here instead.
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    const range = isIP(literal) !== 0 ? refusedRange(literal, this.env.NOTIFICATION_WEBHOOK_ALLOW_LOOPBACK) : null;
    if (range) throw failureOf(new AddressNotAllowed(range));
    const status = await this.post(url, request).catch((error: unknown) => {
      throw failureOf(error);
    });
    if (status < 200 || status > 299) throw new WebhookFailure(`http-${status}`, status);
    return status;
  }

  private post(url: URL, request: WebhookRequest): Promise<number> {
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const outgoing = transport.request(
        url,
        {
          method: 'POST',
          agent: false,
          lookup: this.lookup,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(request.rawBody),
            'user-agent': 'Bitro-Webhooks/1',
            [WEBHOOK_SIGNATURE_HEADER]: signWebhook(request.secret, request.rawBody),
            [WEBHOOK_DELIVERY_HEADER]: request.deliveryId,
            [WEBHOOK_EVENT_HEADER]: request.type,
          },
        },
        (response) => {
          clearTimeout(timer);
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      const timer = setTimeout(() => outgoing.destroy(new WebhookFailure('timeout')), this.env.NOTIFICATION_WEBHOOK_TIMEOUT_MS);
      outgoing.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      outgoing.end(request.rawBody);
    });
  }
}

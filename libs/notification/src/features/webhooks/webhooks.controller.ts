import { Body, Controller, Param, Query } from '@nestjs/common';
import { type AccessClaims, Principal } from '@bitro/auth';
import { type BodyOf, type ParamsOf, type QueryOf, Route } from '@bitro/http';
import { type DeliveryLogView, WebhookRegistry, type WebhookView } from './webhook-registry';
import { deleteWebhookRoute, listWebhooksRoute, registerWebhookRoute, webhookDeliveriesRoute } from './webhooks.contracts';

@Controller()
export class WebhooksController {
  constructor(private readonly webhooks: WebhookRegistry) {}

  @Route(registerWebhookRoute)
  register(@Principal() principal: AccessClaims, @Body() body: BodyOf<typeof registerWebhookRoute>): Promise<WebhookView & { secret: string }> {
    return this.webhooks.register(principal.sub, body);
  }

  @Route(listWebhooksRoute)
  async listWebhooks(@Principal() principal: AccessClaims): Promise<{ items: WebhookView[] }> {
    return { items: await this.webhooks.list(principal.sub) };
  }

  @Route(deleteWebhookRoute)
  deleteWebhook(@Principal() principal: AccessClaims, @Param() params: ParamsOf<typeof deleteWebhookRoute>): Promise<void> {
    return this.webhooks.remove(principal.sub, params.id);
  }

  @Route(webhookDeliveriesRoute)
  async deliveries(
    @Principal() principal: AccessClaims,
    @Param() params: ParamsOf<typeof webhookDeliveriesRoute>,
    @Query() query: QueryOf<typeof webhookDeliveriesRoute>,
  ): Promise<{ items: DeliveryLogView[] }> {
    return { items: await this.webhooks.deliveries(principal.sub, params.id, query.limit) };
  }
}

import { Validator } from '@seriousme/openapi-schema-validator';
import { buildOpenApiDocument } from '@bitro/http';
import { describe, expect, it } from 'vitest';
import { listBrandsRoute } from '../catalogue/catalogue.contracts';
import { getRedemptionRoute, listRedemptionsRoute, redeemRoute } from './redemptions.contracts';

describe('gift-card route contracts', () => {
  it('make a valid OpenAPI 3.1 document', async () => {
    const document = buildOpenApiDocument([listBrandsRoute, redeemRoute, getRedemptionRoute, listRedemptionsRoute], {
      info: { title: 'T', version: '1' },
      tags: { giftcards: 'Gift cards.' },
    });
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    const paths = document['paths'] as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    expect(Object.keys(paths['/v1/giftcards/redemptions']?.['post']?.responses ?? {})).toEqual(expect.arrayContaining(['202', '400', '401', '403', '409', '422', '429']));
    expect(paths['/v1/giftcards/redemptions/{id}']?.['get']).toBeDefined();
    const redeem = paths['/v1/giftcards/redemptions']?.['post'] as unknown as { parameters: unknown[] };
    expect(redeem.parameters).toEqual([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true })]);
  });
});

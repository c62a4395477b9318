import { defineRoute, firstExample } from '@bitro/http';
import { amountString } from '@bitro/service-api';
import { z } from 'zod';
import type { Brand } from '../../persistence/giftcard-prisma';

export const brandViewSchema = z.object({
  code: z.string().describe('Use it as `brand` when redeeming.'),
  name: z.string(),
  pinFormat: z.string().describe('Dashes and spaces are ignored.'),
  faceValuesKrw: z.array(amountString).describe('The face values accepted, KRW.'),
  feeBps: z.number().int().describe('Fee in basis points of the face value (100 = 1 %).'),
  dailyLimitKrw: amountString.describe('KRW of face value one user may redeem of this brand per day (Asia/Seoul).'),
}).meta({
  examples: [
    {
      code: 'cultureland',
      name: '문화상품권',
      pinFormat: '4-4-4-6 or 4-4-4-4 digits',
      faceValuesKrw: ['1000', '5000', '10000', '30000', '50000'],
      feeBps: 800,
      dailyLimitKrw: '500000',
    },
  ],
});
export type BrandView = z.infer<typeof brandViewSchema>;

export const toBrandView = (brand: Brand): BrandView => ({
  code: brand.code,
  name: brand.name,
  pinFormat: brand.pinFormat,
  faceValuesKrw: brand.faceValuesKrw.map(String),
  feeBps: brand.feeBps,
  dailyLimitKrw: String(brand.dailyLimitKrw),
});

export const listBrandsRoute = defineRoute({
  method: 'GET',
  path: '/v1/giftcards/brands',
  tag: 'giftcards',
  summary: 'The gift-card brands Bitro redeems, with their terms',
  access: 'public',
  responses: { 200: { description: 'The catalogue.', schema: z.object({ items: z.array(brandViewSchema) }).meta({ examples: [{ items: [firstExample(brandViewSchema)] }] }) } },
});

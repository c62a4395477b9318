import { defineRoute, firstExample } from '@bitro/http';
import { z } from 'zod';

export const brandParams = z.object({
  brand: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a brand code: lower-case letters, digits and -').describe('Brand code, e.g. `cultureland`'),
});

export const variantViewSchema = z.object({
  url: z.string().describe('Served with `Cache-Control: public, max-age=31536000, immutable`: the name changes with the content.'),
  variant: z.string().describe('Requested width and format, e.g. `256w.webp`'),
  width: z.int(),
  height: z.int(),
  contentType: z.enum(['image/png', 'image/jpeg', 'image/webp']),
  bytes: z.int(),
  sha256: z.string(),
});

export const brandImageSchema = z.object({
  id: z.uuid(),
  brand: z.string(),
  sourceType: z.string().describe("The uploaded file's type, detected from its content."),
  createdAt: z.iso.datetime(),
  variants: z.array(variantViewSchema),
}).meta({
  examples: [
    {
      id: '8f2a6c0e-4b1d-4d3f-a7e9-1c5b3d7f9a24',
      brand: 'cultureland',
      sourceType: 'image/png',
      createdAt: '2026-11-30T02:17:55.608Z',
      variants: [
        { url: '/images/cultureland/72a9c4cb6e20a59cb2f8daf0-64w.png', variant: '64w.png', width: 64, height: 40, contentType: 'image/png', bytes: 3184, sha256: '72a9c4cb6e20a59cb2f8daf05d4a1f31a4b32960b9a416d277c8c7e0b1afeb3d' },
        { url: '/images/cultureland/01872b4cdc9c78decbe32e18-64w.webp', variant: '64w.webp', width: 64, height: 40, contentType: 'image/webp', bytes: 1206, sha256: '01872b4cdc9c78decbe32e1853c1839adf8cffd4e3645c3e95c949aad20fa0c2' },
        { url: '/images/cultureland/4d0f6114db056f17560b6380-256w.png', variant: '256w.png', width: 256, height: 160, contentType: 'image/png', bytes: 28311, sha256: '4d0f6114db056f17560b63806d9abffd292c1199d3c76f38437356211a5a69ec' },
        { url: '/images/cultureland/23f04751f42d80b250cda251-256w.webp', variant: '256w.webp', width: 256, height: 160, contentType: 'image/webp', bytes: 7942, sha256: '23f04751f42d80b250cda251409e0f8742e2174534317657ed48de68a00206e0' },
      ],
    },
  ],
});

/** The form field of the image file in an upload. */
export const UPLOAD_FIELD = 'file';

/** The upload form: the image in the field `file`. The controller streams and checks it (upload-reader.ts). */
export const uploadBrandImageBodySchema = z.object({
  [UPLOAD_FIELD]: z.file().describe('The image: PNG, JPEG or WebP (judged by its content), at most IMAGE_MAX_BYTES.'),
});

export const uploadBrandImageRoute = defineRoute({
  method: 'POST',
  path: '/v1/admin/brands/:brand/image',
  tag: 'images',
  summary: 'Upload a brand image (multipart/form-data, the image in the field `file`): PNG, JPEG or WebP, judged by its content',
  access: 'admin',
  params: brandParams,
  body: uploadBrandImageBodySchema,
  bodyType: 'multipart/form-data',
  responses: {
    201: { description: 'Stored; resized variants (64, 256 and 512 px wide, WebP and the original format) with their URLs.', schema: brandImageSchema },
  },
  problems: {
    400: { types: ['malformed-request'], description: 'The body is not well-formed multipart/form-data (a form without the field `file` is a `validation` problem).' },
    413: { types: ['image-too-large'], description: 'The file is larger than IMAGE_MAX_BYTES.' },
    415: {
      types: ['multipart-required', 'unsupported-image-type'],
      description: 'Not multipart/form-data, or the content is not PNG, JPEG or WebP (the detail names the detected type).',
    },
    422: { types: ['invalid-image'], description: 'The image cannot be decoded or exceeds IMAGE_MAX_SIDE / IMAGE_MAX_PIXELS.' },
  },
});

export const listBrandImagesRoute = defineRoute({
  method: 'GET',
  path: '/v1/brands/:brand/images',
  tag: 'images',
  summary: "A brand's images, newest first",
  access: 'public',
  params: brandParams,
  responses: { 200: { description: 'Every upload with its variants.', schema: z.object({ items: z.array(brandImageSchema) }).meta({ examples: [{ items: [firstExample(brandImageSchema)] }] }) } },
});

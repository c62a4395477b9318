import { defineRoute } from '@bitro/http';
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
  responses: { 200: { description: 'Every upload with its variants.', schema: z.object({ items: z.array(brandImageSchema) }) } },
});

import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VariantView as Variant } from '../src/features/brand-images/brand-images';
import { type ImageModuleTest, startImageModule } from './image-module-test';
import { testImage } from './test-image';

const MAX_BYTES = 200_000;
let image: ImageModuleTest;

beforeAll(async () => {
  image = await startImageModule({ IMAGE_MAX_BYTES: String(MAX_BYTES), IMAGE_MAX_SIDE: '4096', IMAGE_MAX_PIXELS: '4000000' });
});
afterAll(() => image?.close());

const filesOf = async (brand: string): Promise<string[]> => readdir(join(image.imageDir, brand)).catch(() => []);

describe('POST /v1/admin/brands/:brand/image', () => {
  it('judges a PNG named .jpg by its content: PNG and WebP variants 64/256/512 px wide, on disk and recorded', async () => {
    const png = await testImage(800, 600, 'png');
    const { status, body } = await image.upload('cultureland', png, { filename: 'logo.jpg', type: 'image/jpeg' });
    expect(status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({ brand: 'cultureland', sourceType: 'image/png' });
    const variants = body['variants'] as Variant[];
    expect(variants.map((v) => [v.variant, v.width, v.height, v.contentType])).toEqual([
      ['64w.png', 64, 48, 'image/png'],
      ['64w.webp', 64, 48, 'image/webp'],
      ['256w.png', 256, 192, 'image/png'],
      ['256w.webp', 256, 192, 'image/webp'],
      ['512w.png', 512, 384, 'image/png'],
      ['512w.webp', 512, 384, 'image/webp'],
    ]);
    for (const variant of variants) {
      expect(variant.url).toMatch(new RegExp(`^/images/cultureland/${variant.sha256.slice(0, 24)}-${variant.variant.replace('.', '\\.')}$`));
      const file = await readFile(join(image.imageDir, variant.url.slice('/images/'.length)));
      expect(file.length).toBe(variant.bytes);
      const metadata = await sharp(file).metadata();
      expect([metadata.format, metadata.width, metadata.height]).toEqual([variant.contentType.slice('image/'.length), variant.width, variant.height]);
    }
    const { rows } = await image.mod.pool.query<{ n: string }>(`SELECT count(*) AS n FROM image.brand_image_variant WHERE brand_code = 'cultureland'`);
    expect(rows[0]?.n).toBe('6');
    expect((await filesOf('cultureland')).filter((f) => f.startsWith('.'))).toEqual([]);

    const list = (await image.mod.request<{ items: Array<{ id: string; variants: Variant[] }> }>('GET', '/v1/brands/cultureland/images')).body;
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toEqual(body);

    // An admin action: reported to the audit trail.
    expect(image.audit.actions.filter((a) => a.subject === 'brand:cultureland')).toEqual([
      expect.objectContaining({ action: 'brand-image.upload', idempotencyKey: `brand-image.upload:${String(body['id'])}` }),
    ]);
  });

  it('keeps a JPEG a JPEG and never enlarges a small image', async () => {
    const { status, body } = await image.upload('happymoney', await testImage(40, 20, 'jpeg'), { filename: 'x.png', type: 'image/png' });
    expect(status).toBe(201);
    expect((body['variants'] as Variant[]).map((v) => [v.variant, v.width, v.height])).toEqual([
      ['40w.jpg', 40, 20],
      ['40w.webp', 40, 20],
    ]);
  });

  it('refuses a text file named .png with 415 naming what it is, and writes nothing', async () => {
    const { status, headers, body } = await image.upload('booknlife', Buffer.from('definitely not an image\n'), { filename: 'logo.png', type: 'image/png' });
    expect(status).toBe(415);
    expect(headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(body['type']).toBe('https://bitro.dev/problems/unsupported-image-type');
    expect(body['detail']).toMatch(/text\/plain/);
    expect(await filesOf('booknlife')).toEqual([]);
    const { rows } = await image.mod.pool.query(`SELECT 1 FROM image.brand_image_variant WHERE brand_code = 'booknlife'`);
    expect(rows).toEqual([]);
  });

  it('refuses a file over IMAGE_MAX_BYTES with 413', async () => {
    const png = await testImage(8, 8, 'png');
    const { status, body } = await image.upload('oversize', Buffer.concat([png, Buffer.alloc(MAX_BYTES)]), { filename: 'big.png', type: 'image/png' });
    expect(status).toBe(413);
    expect(body['type']).toBe('https://bitro.dev/problems/image-too-large');
    expect(await filesOf('oversize')).toEqual([]);
  });

  it.each([
    ['a side over IMAGE_MAX_SIDE', 5000, 10, /5000×10; neither side may exceed 4096/],
    ['more than IMAGE_MAX_PIXELS', 2500, 2000, /5000000 pixels; at most 4000000/],
  ])('refuses an image with %s with 422', async (_, width, height, detail) => {
    const { status, body } = await image.upload('huge', await testImage(width, height, 'png'), { filename: 'huge.png', type: 'image/png' });
    expect(status).toBe(422);
    expect(body).toMatchObject({ type: 'https://bitro.dev/problems/invalid-image', detail: expect.stringMatching(detail) });
    expect(await filesOf('huge')).toEqual([]);
  });

  it('refuses a truncated image with 422', async () => {
    const png = await testImage(300, 300, 'png');
    const { status, body } = await image.upload('broken', png.subarray(0, 200), { filename: 'broken.png', type: 'image/png' });
    expect(status).toBe(422);
    expect(body['type']).toBe('https://bitro.dev/problems/invalid-image');
  });

  it('needs an admin, a multipart body, the field `file` and a valid brand code', async () => {
    const png = await testImage(8, 8, 'png');
    expect((await image.upload('cultureland', png, { filename: 'a.png', type: 'image/png', token: image.mod.token({ role: 'user' }) })).status).toBe(403);
    expect((await image.mod.request('POST', '/v1/admin/brands/cultureland/image')).status).toBe(401);
    const json = await image.mod.request<{ type: string }>('POST', '/v1/admin/brands/cultureland/image', { token: image.mod.token({ role: 'admin' }), rawBody: '{}' });
    expect([json.status, json.body.type]).toEqual([415, 'https://bitro.dev/problems/multipart-required']);
    const wrongField = await image.upload('cultureland', png, { filename: 'a.png', type: 'image/png', field: 'image' });
    expect([wrongField.status, wrongField.body['errors']]).toEqual([400, [{ in: 'body', pointer: '/file', message: expect.any(String) }]]);
    const badBrand = await image.upload('..%2F..%2Fetc', png, { filename: 'a.png', type: 'image/png' });
    expect(badBrand.status).toBe(400);
    expect(badBrand.body['errors']).toEqual([{ in: 'path', pointer: '/brand', message: expect.any(String) }]);
  });
});

describe('GET /images/* (SERVE_IMAGES)', () => {
  it('serves a variant with its content type and immutable cache headers', async () => {
    const { body } = await image.upload('served', await testImage(300, 100, 'png'), { filename: 'logo.png', type: 'image/png' });
    const variant = (body['variants'] as Variant[]).find((v) => v.variant === '256w.webp') ?? expect.unreachable('no 256w.webp');
    const response = await fetch(image.mod.url + variant.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/webp');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from(await response.arrayBuffer()).equals(await readFile(join(image.imageDir, variant.url.slice('/images/'.length))))).toBe(true);
  });

  it('answers 404 problems for what is not a stored image, outside the directory included', async () => {
    await writeFile(join(image.imageDir, '.hidden'), 'secret');
    for (const path of ['/images/served/missing.png', '/images/%2e%2e/%2e%2e/etc/passwd', '/images/..%2f..%2fetc%2fpasswd', '/images/.hidden']) {
      const response = await fetch(image.mod.url + path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type'), path).toMatch(/^application\/problem\+json/);
    }
  });

  it('is off with SERVE_IMAGES=false (nginx serves the directory)', async () => {
    const behindNginx = await startImageModule({ SERVE_IMAGES: 'false' });
    try {
      const { status, body } = await behindNginx.upload('nginx', await testImage(64, 64, 'png'), { filename: 'logo.png', type: 'image/png' });
      expect(status).toBe(201);
      expect((await fetch(behindNginx.mod.url + (body['variants'] as Variant[])[0]?.url)).status).toBe(404);
    } finally {
      await behindNginx.close();
    }
  });
});

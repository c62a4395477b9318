import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, createTestRedisNamespace, TEST_JWT_SECRET, type TestDatabase, type TestRedisNamespace, totpCode } from '@bitro/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Nginx } from './nginx';
import { BuiltProcess, eventually, freePort } from '@bitro/system-testing';

const root = join(import.meta.dirname, '..', '..', '..');
const LOGINS_PER_IP = 6;
const ADMIN = { email: `images-${randomUUID()}@example.com`, password: 'correct horse battery staple' };

interface Variant {
  url: string;
  variant: string;
  width: number;
  height: number;
  contentType: string;
}

let database: TestDatabase;
let redis: TestRedisNamespace;
let imageDir: string;
let ports: number[];
let replicas: BuiltProcess[];
let nginx: Nginx;
let adminToken: string;

/** bitro-api behind nginx: HTTP only (no gateway needed for images), images left to nginx. */
function apiEnv(port: number): Record<string, string> {
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    BITRO_ROLES: 'http',
    LOG_LEVEL: 'info',
    // Exactly the one hop in front: nginx, on loopback.
    TRUST_PROXY: '127.0.0.1',
    LOGIN_MAX_ATTEMPTS_PER_IP: String(LOGINS_PER_IP),
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '4',
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: redis.prefix,
    JWT_SECRET: TEST_JWT_SECRET,
    PIN_HASH_KEY: 'e2e-pin-hash-key-0123456789abcdef-0123456789',
    IMAGE_DIR: imageDir,
    SERVE_IMAGES: 'false',
    // Two replicas (and other test files) would meet on the default metrics port.
    METRICS_PORT: '0',
  };
}

async function upload(bytes: Buffer, filename: string, type: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), filename);
  const response = await fetch(`${nginx.url}/v1/admin/brands/cultureland/image`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` }, body: form });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const logs = () => replicas.map((r) => `--- ${r.name}\n${r.tail()}`).join('\n');

beforeAll(async () => {
  [database, redis] = [await createTestDatabase(), createTestRedisNamespace()];
  imageDir = await mkdtemp(join(tmpdir(), 'bitro-e2e-images-'));
  // nginx's workers may run as another user than the test: they only need to read the directory.
  await chmod(imageDir, 0o755);
  ports = [await freePort(), await freePort()];
  replicas = ports.map((port, i) => new BuiltProcess(`bitro-api-${i + 1}`, 'dist/apps/bitro-api/main.js', [], apiEnv(port)));
  for (const replica of replicas) replica.start();
  for (const port of ports) await eventually(() => fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.ok), logs);
  nginx = await Nginx.start({ apiPorts: ports, imageDir });

  const created = spawnSync(process.execPath, [join(root, 'dist/apps/bitro-api/main.js'), 'admin:create', '--email', ADMIN.email], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...apiEnv(0), ADMIN_PASSWORD: ADMIN.password },
    encoding: 'utf8',
  });
  const otpauthUri = /otpauth:\/\/\S+/.exec(created.stdout)?.[0];
  if (created.status !== 0 || !otpauthUri) throw new Error(`admin:create: ${created.stdout}${created.stderr}`);
  const login = await fetch(`${nginx.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...ADMIN, totp: totpCode(otpauthUri) }),
  });
  adminToken = ((await login.json()) as { accessToken: string }).accessToken;
});

afterAll(async () => {
  await nginx?.stop();
  await Promise.all((replicas ?? []).map((r) => r.stop()));
  await Promise.all([database?.drop(), redis?.clear(), imageDir && rm(imageDir, { recursive: true, force: true })]);
});

describe('nginx in front of two bitro-api replicas', () => {
  it('load-balances /v1 across both replicas, passing the request id through', async () => {
    const ids = Array.from({ length: 6 }, (_, i) => `nginx-e2e-${i}-${randomUUID()}`);
    for (const id of ids) {
      const response = await fetch(`${nginx.url}/v1/brands/cultureland/images`, { headers: { 'x-request-id': id } });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-request-id')).toBe(id);
    }
    // Each replica logged some of the requests, and between them all of them (log lines reach us a moment later).
    const servedBy = () => replicas.map((replica) => ids.filter((id) => replica.tail().includes(`"reqId":"${id}"`)));
    await eventually(async () => servedBy().flat().length === ids.length, logs, 5_000).catch(() => undefined);
    const served = servedBy();
    expect(served.map((s) => s.length).every((n) => n > 0), logs()).toBe(true);
    expect(new Set(served.flat())).toEqual(new Set(ids));

    const withoutId = await fetch(`${nginx.url}/v1/brands/cultureland/images`);
    expect(withoutId.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('uploads through nginx by content and serves the variants from the directory, immutable', async () => {
    const png = await sharp({ create: { width: 600, height: 300, channels: 3, background: '#3366cc' } }).png().toBuffer();
    const { status, body } = await upload(png, 'brand.jpg', 'image/jpeg');
    expect(status, JSON.stringify(body)).toBe(201);
    expect(body['sourceType']).toBe('image/png');
    const variants = body['variants'] as Variant[];
    expect(variants.map((v) => v.variant)).toEqual(['64w.png', '64w.webp', '256w.png', '256w.webp', '512w.png', '512w.webp']);
    for (const variant of variants) {
      const response = await fetch(nginx.url + variant.url);
      expect(response.status, variant.url).toBe(200);
      expect(response.headers.get('content-type')).toBe(variant.contentType);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const served = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
      expect([served.width, served.height]).toEqual([variant.width, variant.height]);
    }
    // The replicas leave /images/ to nginx (SERVE_IMAGES=false).
    expect((await fetch(`http://127.0.0.1:${ports[0]}${variants[0]?.url}`)).status).toBe(404);

    const text = await upload(Buffer.from('a text file, not a logo\n'), 'brand.png', 'image/png');
    expect([text.status, text.body['type']]).toEqual([415, 'https://bitro.dev/problems/unsupported-image-type']);
    expect((await readdir(join(imageDir, 'cultureland'))).length).toBe(variants.length);
  });

  it('counts logins per client address, whatever X-Forwarded-For the client sends', async () => {
    const randomAddress = () => Array.from({ length: 4 }, () => Math.floor(Math.random() * 256)).join('.');
    const statuses: number[] = [];
    for (let i = 0; i <= LOGINS_PER_IP; i++) {
      const response = await fetch(`${nginx.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': randomAddress() },
        body: JSON.stringify({ email: `nobody-${randomUUID()}@example.com`, password: 'wrong password, surely' }),
      });
      statuses.push(response.status);
    }
    // The admin's login in beforeAll came from the same address (127.0.0.1, as nginx saw it).
    expect(statuses.slice(0, LOGINS_PER_IP - 1).every((status) => status === 401), statuses.join()).toBe(true);
    expect(statuses.slice(LOGINS_PER_IP - 1).every((status) => status === 429), statuses.join()).toBe(true);
  });

  it('keeps serving images with both replicas stopped', async () => {
    const listed = await fetch(`${nginx.url}/v1/brands/cultureland/images`).then((r) => r.json() as Promise<{ items: Array<{ variants: Variant[] }> }>);
    const variant = listed.items[0]?.variants[0] ?? expect.unreachable('no stored variant');
    await Promise.all(replicas.map((r) => r.stop()));

    expect((await fetch(`${nginx.url}/v1/brands/cultureland/images`)).status).toBe(502);
    const image = await fetch(nginx.url + variant.url);
    expect(image.status).toBe(200);
    expect(image.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });
});

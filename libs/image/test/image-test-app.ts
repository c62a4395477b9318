import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AccessTokens, AuthModule } from '@bitro/auth';
import { ConfigModule } from '@bitro/config';
import { DbModule, PG_POOL } from '@bitro/db';
import { createTestDatabase, createTestRedisNamespace, testEnv, HTTP_CONVENTIONS, listenForTests } from '@bitro/testing';
import type { Pool } from 'pg';
import sharp from 'sharp';
import { AUDIT_API, type AdminActionInput, type AuditApi } from '@bitro/service-api';
import { ImageModule } from '../src/image.module';

/** AUDIT_API as the audit domain offers it (global in the app), recording what it is asked to write. */
function recordingAudit(): { api: AuditApi; actions: AdminActionInput[] } {
  const actions: AdminActionInput[] = [];
  const api: AuditApi = {
    record: async (_tx, input) => {
      actions.push(input);
      return { id: randomUUID(), seq: BigInt(actions.length), hash: '0'.repeat(64) };
    },
  };
  return { api, actions };
}

export interface ImageTestApp {
  url: string;
  imageDir: string;
  pool: Pool;
  /** The admin actions the module reported to the audit trail. */
  auditedActions: AdminActionInput[];
  token(role: 'admin' | 'user'): string;
  /** POSTs `bytes` as the multipart field `field` (default `file`) named `filename`, declared as `type`. */
  upload(brand: string, bytes: Buffer, options: { filename: string; type: string; token?: string; field?: string }): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** ImageModule over HTTP on a random port (auth, problem answers, contract validation), on its own database and image directory. */
export async function startImageApp(env: Record<string, string> = {}): Promise<ImageTestApp> {
  const audit = recordingAudit();
  @Global()
  @Module({ providers: [{ provide: AUDIT_API, useValue: audit.api }], exports: [AUDIT_API] })
  class AuditDomain {}

  const database = await createTestDatabase();
  const redis = createTestRedisNamespace();
  const imageDir = await mkdtemp(join(tmpdir(), 'bitro-images-'));
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(testEnv(database, redis, { BITRO_ROLES: 'http', IMAGE_DIR: imageDir, ...env })), DbModule, AuthModule, AuditDomain, ImageModule],
    providers: HTTP_CONVENTIONS,
  }).compile();
  const { app, url } = await listenForTests(moduleRef);
  const tokens = app.get(AccessTokens);
  const token = (role: 'admin' | 'user') => tokens.sign({ sub: randomUUID(), role, sid: randomUUID() });
  return {
    url,
    imageDir,
    pool: app.get(PG_POOL),
    auditedActions: audit.actions,
    token,
    async upload(brand, bytes, options) {
      const form = new FormData();
      form.append(options.field ?? 'file', new Blob([new Uint8Array(bytes)], { type: options.type }), options.filename);
      const response = await fetch(`${url}/v1/admin/brands/${brand}/image`, { method: 'POST', headers: { authorization: `Bearer ${options.token ?? token('admin')}` }, body: form });
      return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
    },
    async close() {
      await app.close();
      await Promise.all([database.drop(), redis.clear(), rm(imageDir, { recursive: true, force: true })]);
    },
  };
}

/** A `width`×`height` image in `format`, one colour (so that even a large one is a small file). */
export function testImage(width: number, height: number, format: 'png' | 'jpeg' | 'webp'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } }).toFormat(format).toBuffer();
}

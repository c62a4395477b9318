import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDIT_API } from '@bitro/service-api';
import { type JsonResponse, type ModuleTest, RecordingAudit, startModuleTest } from '@bitro/testing';
import { ImageModule } from '../src';

export interface ImageModuleTest {
  mod: ModuleTest;
  /** IMAGE_DIR: a directory of its own, removed on close. */
  imageDir: string;
  /** AUDIT_API: the admin actions the module reported to the audit trail. */
  audit: RecordingAudit;
  /** POSTs `bytes` as the multipart field `field` (default `file`) named `filename`, declared as `type`, as an admin unless `token`. */
  upload(brand: string, bytes: Buffer, options: { filename: string; type: string; token?: string; field?: string }): Promise<JsonResponse>;
  close(): Promise<void>;
}

/** ImageModule on the module test harness, served over HTTP, with an image directory of its own; `env` over the harness's. */
export async function startImageModule(env: Record<string, string> = {}): Promise<ImageModuleTest> {
  const imageDir = await mkdtemp(join(tmpdir(), 'bitro-images-'));
  const audit = new RecordingAudit();
  const mod = await startModuleTest({
    module: ImageModule,
    stubs: [{ provide: AUDIT_API, useValue: audit }],
    env: { IMAGE_DIR: imageDir, ...env },
    http: true,
  }).catch(async (error: unknown) => {
    await rm(imageDir, { recursive: true, force: true });
    throw error;
  });
  return {
    mod,
    imageDir,
    audit,
    async upload(brand, bytes, options) {
      const form = new FormData();
      form.append(options.field ?? 'file', new Blob([new Uint8Array(bytes)], { type: options.type }), options.filename);
      const token = options.token ?? mod.token({ role: 'admin' });
      const response = await fetch(`${mod.url}/v1/admin/brands/${brand}/image`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
      return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
    },
    async close() {
      try {
        await mod.close();
      } finally {
        await rm(imageDir, { recursive: true, force: true });
      }
    },
  };
}

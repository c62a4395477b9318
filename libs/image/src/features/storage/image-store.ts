import { Inject, Injectable } from '@nestjs/common';
import { type BitroEnv, BITRO_ENV } from '@bitro/config';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export interface StoredFile {
  /** Relative to the image directory, `/`-separated; served at `/images/<path>`. */
  path: string;
  sha256: string;
  bytes: number;
}

/** The public URL of a stored file. */
export const imageUrl = (path: string): string => `/images/${path}`;

/**
 * Files under IMAGE_DIR, named by their content's hash: a URL never changes what it serves, so it can be
 * cached forever. Each file is written to a temporary name and renamed, so a reader (bitro-api or nginx)
 * never sees half of one.
 */
@Injectable()
export class ImageStore {
  readonly root: string;

  constructor(@Inject(BITRO_ENV) env: BitroEnv) {
    this.root = resolve(env.IMAGE_DIR);
  }

  async ensureRoot(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }

  /** Writes `data` as `<folder>/<hash>-<suffix>`; `folder` and `suffix` must be safe path segments. */
  async write(folder: string, suffix: string, data: Buffer): Promise<StoredFile> {
    const sha256 = createHash('sha256').update(data).digest('hex');
    const path = `${folder}/${sha256.slice(0, 24)}-${suffix}`;
    const directory = join(this.root, folder);
    await mkdir(directory, { recursive: true });
    // Dot-prefixed: neither bitro-api nor nginx serves it before the rename.
    const temporary = join(directory, `.${randomUUID()}.tmp`);
    try {
      await writeFile(temporary, data, { mode: 0o644 });
      await rename(temporary, join(this.root, path));
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return { path, sha256, bytes: data.length };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { type BitroEnv, BITRO_ENV } from '@bitro/config';
import { ProblemException } from '@bitro/http';
import { randomUUID } from 'node:crypto';
import { type BrandImageVariant, ImagePrisma } from '../../persistence/image-prisma';
import { CONTENT_TYPES, detectImageType } from '../processing/image-type';
import { type ImageLimits, inspectImage, renderVariants } from '../processing/image-variants';
import { ImageStore, imageUrl } from '../storage/image-store';

export interface VariantView {
  url: string;
  variant: string;
  width: number;
  height: number;
  contentType: string;
  bytes: number;
  sha256: string;
}

export interface BrandImageView {
  id: string;
  brand: string;
  sourceType: string;
  createdAt: string;
  variants: VariantView[];
}

const ACCEPTED_TYPES = Object.values(CONTENT_TYPES).join(', ');

/** Brand images: checks an upload by its content, stores its variants and records them. */
@Injectable()
export class BrandImages {
  private readonly limits: ImageLimits;

  constructor(
    private readonly prisma: ImagePrisma,
    private readonly store: ImageStore,
    @Inject(BITRO_ENV) env: BitroEnv,
  ) {
    this.limits = { maxPixels: env.IMAGE_MAX_PIXELS, maxSide: env.IMAGE_MAX_SIDE };
  }

  async upload(brand: string, bytes: Buffer): Promise<BrandImageView> {
    const type = detectImageType(bytes);
    if (!type.accepted) {
      throw new ProblemException(415, 'unsupported-image-type', `The file's content is ${type.contentType}; upload one of ${ACCEPTED_TYPES} (the file name and declared type are not trusted).`);
    }
    const inspection = await inspectImage(bytes, this.limits);
    if (!inspection.ok) throw new ProblemException(422, 'invalid-image', inspection.reason);
    let rendered;
    try {
      rendered = await renderVariants(bytes, type.format, inspection.width, this.limits);
    } catch (error) {
      throw new ProblemException(422, 'invalid-image', `The image cannot be decoded (${(error as Error).message}).`);
    }
    const uploadId = randomUUID();
    const rows = [];
    for (const variant of rendered) {
      const file = await this.store.write(brand, variant.name, variant.data);
      rows.push({
        uploadId,
        brandCode: brand,
        variant: variant.name,
        width: variant.width,
        height: variant.height,
        contentType: variant.contentType,
        sourceType: type.contentType,
        ...file,
      });
    }
    await this.prisma.brandImageVariant.createMany({ data: rows });
    const stored = await this.prisma.brandImageVariant.findMany({ where: { uploadId }, orderBy: [{ width: 'asc' }, { variant: 'asc' }] });
    return viewsOf(stored)[0] ?? expectStored(uploadId);
  }

  /** The brand's uploads, newest first, each with its variants. */
  async list(brand: string): Promise<BrandImageView[]> {
    const rows = await this.prisma.brandImageVariant.findMany({ where: { brandCode: brand }, orderBy: [{ createdAt: 'desc' }, { width: 'asc' }, { variant: 'asc' }] });
    return viewsOf(rows);
  }
}

function expectStored(uploadId: string): never {
  throw new Error(`upload ${uploadId} was recorded but cannot be read back`);
}

function viewsOf(rows: BrandImageVariant[]): BrandImageView[] {
  const uploads = new Map<string, BrandImageView>();
  for (const row of rows) {
    let upload = uploads.get(row.uploadId);
    if (!upload) {
      upload = { id: row.uploadId, brand: row.brandCode, sourceType: row.sourceType, createdAt: row.createdAt.toISOString(), variants: [] };
      uploads.set(row.uploadId, upload);
    }
    upload.variants.push({ url: imageUrl(row.path), variant: row.variant, width: row.width, height: row.height, contentType: row.contentType, bytes: row.bytes, sha256: row.sha256 });
  }
  return [...uploads.values()];
}

import { Controller, Inject, Param, Req } from '@nestjs/common';
import { type AccessClaims, Principal } from '@bitro/auth';
import { type BitroEnv, BITRO_ENV } from '@bitro/config';
import { AUDIT_API, type AuditApi } from '@bitro/service-api';
import { type ParamsOf, Route } from '@bitro/http';
import type { FastifyRequest } from 'fastify';
import { type BrandImageView, BrandImages } from './brand-images';
import { uploadBrandImageRoute } from './brand-images.contracts';
import { readUpload } from './upload-reader';

@Controller()
export class BrandImagesAdminController {
  constructor(
    private readonly images: BrandImages,
    @Inject(BITRO_ENV) private readonly env: BitroEnv,
    @Inject(AUDIT_API) private readonly audit: AuditApi,
  ) {}

  @Route(uploadBrandImageRoute)
  async upload(@Param() params: ParamsOf<typeof uploadBrandImageRoute>, @Req() request: FastifyRequest, @Principal() admin: AccessClaims): Promise<BrandImageView> {
    const image = await this.images.upload(params.brand, await readUpload(request, this.env.IMAGE_MAX_BYTES));
    await this.audit.record(undefined, {
      action: 'brand-image.upload',
      actorId: admin.sub,
      subject: `brand:${params.brand}`,
      details: { uploadId: image.id, sourceType: image.sourceType, variants: image.variants.map((variant) => variant.url) },
      idempotencyKey: `brand-image.upload:${image.id}`,
    });
    return image;
  }
}

import { Controller, Param } from '@nestjs/common';
import { type ParamsOf, Route } from '@bitro/http';
import { type BrandImageView, BrandImages } from './brand-images';
import { listBrandImagesRoute } from './brand-images.contracts';

@Controller()
export class BrandImagesController {
  constructor(private readonly images: BrandImages) {}

  @Route(listBrandImagesRoute)
  async list(@Param() params: ParamsOf<typeof listBrandImagesRoute>): Promise<{ items: BrandImageView[] }> {
    return { items: await this.images.list(params.brand) };
  }
}

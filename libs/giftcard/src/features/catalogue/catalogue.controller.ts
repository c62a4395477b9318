import { Controller } from '@nestjs/common';
import { Route } from '@bitro/http';
import { type BrandView, listBrandsRoute, toBrandView } from './brands.contracts';
import { CatalogueService } from './catalogue.service';

@Controller()
export class BrandsController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Route(listBrandsRoute)
  async list(): Promise<{ items: BrandView[] }> {
    return { items: (await this.catalogue.list()).map(toBrandView) };
  }
}

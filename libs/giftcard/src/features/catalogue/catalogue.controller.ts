import { Controller } from '@nestjs/common';
import { Route } from '@bitro/http';
import { Catalogue } from './catalogue';
import { type BrandView, listBrandsRoute, toBrandView } from './catalogue.contracts';

@Controller()
export class CatalogueController {
  constructor(private readonly catalogue: Catalogue) {}

  @Route(listBrandsRoute)
  async list(): Promise<{ items: BrandView[] }> {
    return { items: (await this.catalogue.list()).map(toBrandView) };
  }
}

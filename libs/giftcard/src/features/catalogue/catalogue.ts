import { Injectable } from '@nestjs/common';
import { type Brand, GiftcardPrisma } from '../../persistence/giftcard-prisma';

/** The brands Bitro takes (the `brands` table, seeded by the migrations). */
@Injectable()
export class Catalogue {
  constructor(private readonly prisma: GiftcardPrisma) {}

  list(): Promise<Brand[]> {
    return this.prisma.brand.findMany({ where: { active: true }, orderBy: { code: 'asc' } });
  }

  /** An active brand, or null. */
  find(code: string): Promise<Brand | null> {
    return this.prisma.brand.findFirst({ where: { code, active: true } });
  }
}

import { Injectable } from '@nestjs/common';
import { type Brand, GiftcardPrisma } from '../../persistence/giftcard-prisma';

interface BrandRow {
  code: string;
  name: string;
  pin_pattern: string;
  pin_format: string;
  /** bigint[] and bigint: node-postgres reads int8 as decimal strings. */
  face_values_krw: string[];
  fee_bps: number;
  daily_limit_krw: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

const FIND_ACTIVE = { name: 'giftcard.brand-find-active', text: 'SELECT * FROM "giftcard"."brands" WHERE code = $1 AND active' };

/** The brands Bitro takes (the `brands` table, seeded by the migrations). */
@Injectable()
export class Catalogue {
  constructor(private readonly prisma: GiftcardPrisma) {}

  list(): Promise<Brand[]> {
    return this.prisma.brand.findMany({ where: { active: true }, orderBy: { code: 'asc' } });
  }

  /** An active brand, or null. Read by every redemption request: a named statement on the pool (ADR 0031). */
  async find(code: string): Promise<Brand | null> {
    const { rows } = await this.prisma.pool.query<BrandRow>({ ...FIND_ACTIVE, values: [code] });
    const [row] = rows;
    if (!row) return null;
    return {
      code: row.code,
      name: row.name,
      pinPattern: row.pin_pattern,
      pinFormat: row.pin_format,
      faceValuesKrw: row.face_values_krw.map(BigInt),
      feeBps: row.fee_bps,
      dailyLimitKrw: BigInt(row.daily_limit_krw),
      active: row.active,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}

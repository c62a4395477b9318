import { Injectable } from '@nestjs/common';
import { batchedReads } from '@bitro/db';
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

const FIND_ACTIVE = { name: 'giftcard.brands-find-active', text: 'SELECT * FROM "giftcard"."brands" WHERE code = ANY($1::text[]) AND active' };

const brandOfRow = (row: BrandRow): Brand => ({
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
});

/** The brands Bitro takes (the `brands` table, seeded by the migrations). */
@Injectable()
export class Catalogue {
  private readonly activeByCode: (code: string) => Promise<Brand | undefined>;

  constructor(private readonly prisma: GiftcardPrisma) {
    this.activeByCode = batchedReads(async (codes) => {
      const { rows } = await prisma.pool.query<BrandRow>({ ...FIND_ACTIVE, values: [codes] });
      return new Map(rows.map((row) => [row.code, brandOfRow(row)]));
    });
  }

  list(): Promise<Brand[]> {
    return this.prisma.brand.findMany({ where: { active: true }, orderBy: { code: 'asc' } });
  }

  /**
   * An active brand, or null. Read by every redemption request: a named statement on the pool (ADR 0031), shared by
   * the requests of one turn of the event loop (ADR 0044).
   */
  async find(code: string): Promise<Brand | null> {
    // Requests arrive through the route contract, which refuses NUL anywhere; a direct caller's NUL (text PostgreSQL
    // refuses) must not fail the other reads of its batch, and names no brand anyway.
    if (code.includes('\u0000')) return null;
    return (await this.activeByCode(code)) ?? null;
  }
}

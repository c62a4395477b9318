import { defineRoute } from '@bitro/http';
import { z } from 'zod';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const decimal = z.string().regex(/^(0|[1-9][0-9]*)$/);

export const auditReportSchema = z.object({
  ok: z.boolean(),
  records: z.number().int(),
  blocks: z.number().int(),
  firstBrokenRecord: z
    .object({ seq: decimal, id: z.uuid().nullable(), reason: z.string() })
    .nullable()
    .meta({ description: 'The first record (in seq order) that is missing or does not match the chain; null when none.' }),
  firstBrokenBlock: z.object({ height: decimal, reason: z.string() }).nullable(),
});
export type AuditReportView = z.input<typeof auditReportSchema>;

export const inclusionProofSchema = z
  .object({
    record: z.object({ id: z.uuid(), seq: decimal, type: z.string(), occurredAt: z.iso.datetime(), payload: z.unknown(), prevHash: hex64, hash: hex64 }),
    block: z.object({
      height: decimal,
      firstSeq: decimal,
      lastSeq: decimal,
      merkleRoot: hex64,
      anchors: z.array(z.object({ adapter: z.string(), reference: z.string(), anchoredAt: z.iso.datetime() })),
    }),
    path: z.array(z.object({ position: z.enum(['left', 'right']), hash: hex64 })),
  })
  .meta({ description: 'Verify offline with verifyInclusionProof (rules in libs/audit/README.md).' });

export const verifyAuditRoute = defineRoute({
  method: 'GET',
  path: '/v1/admin/audit/verify',
  tag: 'admin',
  summary: 'Recomputes the audit chain and every block root',
  access: 'admin',
  responses: { 200: { description: 'The report; `ok: false` names the first broken record and block.', schema: auditReportSchema } },
});

export const recordProofRoute = defineRoute({
  method: 'GET',
  path: '/v1/admin/audit/records/:id/proof',
  tag: 'admin',
  summary: 'Merkle inclusion proof of one audit record',
  access: 'admin',
  params: z.object({ id: z.uuid() }),
  responses: { 200: { description: 'The record, its hash, its block’s root and the sibling path.', schema: inclusionProofSchema } },
  problems: {
    404: { types: ['audit-record-not-found'], description: 'No audit record has this id.' },
    409: { types: ['audit-record-unsealed'], description: 'The record is not sealed in a block yet; retry after AUDIT_BLOCK_INTERVAL_MS.' },
  },
});

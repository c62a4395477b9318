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
}).meta({
  examples: [
    { ok: true, records: 18342, blocks: 611, firstBrokenRecord: null, firstBrokenBlock: null },
    {
      ok: false,
      records: 18342,
      blocks: 611,
      firstBrokenRecord: { seq: '17904', id: 'a7c3e1f5-9b2d-4f6a-8e0c-3d5f7b9a1c26', reason: 'hash 6c68c00b1f3013ce4a201ad32410f516867afd9569001a175ade2d51c2644968 does not match its content (computed ec31682fde561917952ff78a7a8adeffd0febc372dd26871916c46c630381b45)' },
      firstBrokenBlock: { height: '597', reason: 'merkle_root 9569336558e42455baeed5c05d7be4c7944c7f96527ee169fd427a3fd86a4d75 does not match its records (computed 844ecc08164e2eab27634a9adee1afa6599e589570e719784e080ce747fc0e45)' },
    },
  ],
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
  .meta({
    description: 'Verify offline with verifyInclusionProof (rules in libs/audit/README.md).',
    examples: [
      {
        record: {
          id: 'a7c3e1f5-9b2d-4f6a-8e0c-3d5f7b9a1c26',
          seq: '17904',
          type: 'ledger.journal',
          occurredAt: '2026-12-04T11:20:31.874Z',
          payload: {
            journalId: '1b7d3f5a-9c2e-4d6b-a8f0-3e5c7a9b1d42',
            kind: 'credit',
            userId: '3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44',
            amountSats: '32314',
            reference: 'redemption:0d2c6f4e-7a1b-4c3d-9e8f-1a2b3c4d5e6f',
            description: 'cultureland gift card redemption',
            holdReference: null,
            postings: [
              { account: 'house:giftcard_liability', amountSats: '-32314' },
              { account: 'user:3f6b2c1e-8d4a-4f7b-9c2e-5a1d7e9b0c44:available', amountSats: '32314' },
            ],
            createdAt: '2026-12-04T11:20:31.874Z',
          },
          prevHash: '97fe05f92211c506e6b9f5cbdd51f62dfdd48ba67ed5917c579e07eb838c04b3',
          hash: '6c68c00b1f3013ce4a201ad32410f516867afd9569001a175ade2d51c2644968',
        },
        block: {
          height: '597',
          firstSeq: '17901',
          lastSeq: '17932',
          merkleRoot: '9569336558e42455baeed5c05d7be4c7944c7f96527ee169fd427a3fd86a4d75',
          anchors: [{ adapter: 'gateway', reference: '6849202cccf4dee53d3b5e92d4abff2052c0b90c105d84c1f2ee720a601cda59', anchoredAt: '2026-12-04T11:31:02.448Z' }],
        },
        path: [
          { position: 'right', hash: '5c1e4acd4f0931e62c81d7b8cb34dab83ab4c4c013e02a9fee8f784819dcf8c6' },
          { position: 'left', hash: 'c23e7c5156ee92fc77b7c3e94bb6498589130434e6bfd2fa6806d93f27df3986' },
        ],
      },
    ],
  });

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

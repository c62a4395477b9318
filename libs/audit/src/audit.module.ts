import { Module } from '@nestjs/common';
import { AUDIT_API, AUDIT_OPS_API } from '@bitro/service-api';
import { anchorProvider } from './anchor/anchor.provider';
import { BlockAnchoring } from './anchor/block-anchoring';
import { AuditOpsService } from './audit-ops.service';
import { BlockSealJob } from './blocks/block-seal.job';
import { BlockSealer } from './blocks/block-sealer';
import { AuditEventSubscriber } from './events/audit-event.subscriber';
import { AuditController } from './http/audit.controller';
import { AuditApiService } from './trail/audit-api.service';
import { AuditAppender } from './trail/audit-appender';
import { ChainVerifier } from './verify/chain-verifier';
import { InclusionProofs } from './verify/inclusion-proofs';

/**
 * The audit trail (Postgres schema `audit`): a hash chain of every ledger journal (from
 * `wallet.journal-posted.v1`) and every admin action (through `AUDIT_API`), sealed into Merkle blocks
 * whose roots an AnchorPort publishes (AUDIT_ANCHOR). Operators verify it through `AUDIT_OPS_API`
 * (`audit:verify`, `/v1/admin/audit/...`). Needs the global ConfigModule, DbModule, AuthModule and MessagingModule.
 */
@Module({
  controllers: [AuditController],
  providers: [
    AuditAppender,
    BlockSealer,
    BlockSealJob,
    anchorProvider,
    BlockAnchoring,
    ChainVerifier,
    InclusionProofs,
    AuditEventSubscriber,
    { provide: AUDIT_API, useClass: AuditApiService },
    { provide: AUDIT_OPS_API, useClass: AuditOpsService },
  ],
  exports: [AUDIT_API, AUDIT_OPS_API],
})
export class AuditModule {}

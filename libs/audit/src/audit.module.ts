import { Module } from '@nestjs/common';
import { AUDIT_API, AUDIT_OPS_API } from '@bitro/service-api';
import { AuditApiService } from './api/audit-api.service';
import { AuditOpsApiService } from './api/audit-ops-api.service';
import { AuditConsumer } from './events/audit.consumer';
import { anchorProvider } from './features/anchoring/anchor.provider';
import { BlockAnchoring } from './features/anchoring/block-anchoring';
import { BlockSeal } from './features/blocks/block-seal';
import { BlockSealSchedule } from './features/blocks/block-seal.schedule';
import { AuditAppender } from './features/trail/audit-appender';
import { JournalRecording } from './features/trail/journal-recording';
import { ChainVerifier } from './features/verify/chain-verifier';
import { InclusionProofs } from './features/verify/inclusion-proofs';
import { VerifyAdminController } from './features/verify/verify-admin.controller';

/**
 * The audit trail (Postgres schema `audit`): a hash chain of every ledger journal (from
 * `wallet.journal-posted.v1`) and every admin action (through `AUDIT_API`), sealed into Merkle blocks
 * whose roots an AnchorPort publishes (AUDIT_ANCHOR). Operators verify it through `AUDIT_OPS_API`
 * (`audit:verify`) and `/v1/admin/audit/...`. Needs the global ConfigModule, DbModule, AuthModule and MessagingModule.
 */
@Module({
  controllers: [VerifyAdminController],
  providers: [
    AuditAppender,
    JournalRecording,
    BlockSeal,
    BlockSealSchedule,
    anchorProvider,
    BlockAnchoring,
    ChainVerifier,
    InclusionProofs,
    AuditConsumer,
    { provide: AUDIT_API, useClass: AuditApiService },
    { provide: AUDIT_OPS_API, useClass: AuditOpsApiService },
  ],
  exports: [AUDIT_API, AUDIT_OPS_API],
})
export class AuditModule {}

import { Controller, Inject, Param } from '@nestjs/common';
import { type ParamsOf, ProblemException, Route } from '@bitro/http';
import { AUDIT_OPS_API, type AuditOpsApi, AuditRecordUnsealedError, type InclusionProof } from '@bitro/service-api';
import { type AuditReportView, recordProofRoute, verifyAuditRoute } from './audit.contracts';

@Controller()
export class AuditController {
  constructor(@Inject(AUDIT_OPS_API) private readonly ops: AuditOpsApi) {}

  @Route(verifyAuditRoute)
  async verify(): Promise<AuditReportView> {
    const { firstBrokenRecord, firstBrokenBlock, ...report } = await this.ops.verify();
    return {
      ...report,
      firstBrokenRecord: firstBrokenRecord && { ...firstBrokenRecord, seq: firstBrokenRecord.seq.toString() },
      firstBrokenBlock: firstBrokenBlock && { ...firstBrokenBlock, height: firstBrokenBlock.height.toString() },
    };
  }

  @Route(recordProofRoute)
  async proof(@Param() params: ParamsOf<typeof recordProofRoute>): Promise<InclusionProof> {
    try {
      const proof = await this.ops.proof(params.id);
      if (!proof) throw new ProblemException(404, 'audit-record-not-found', `No audit record ${params.id}.`);
      return proof;
    } catch (error) {
      if (error instanceof AuditRecordUnsealedError) throw new ProblemException(409, 'audit-record-unsealed', error.message);
      throw error;
    }
  }
}

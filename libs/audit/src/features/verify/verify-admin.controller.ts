import { Controller, Param } from '@nestjs/common';
import { type ParamsOf, ProblemException, Route } from '@bitro/http';
import { ChainVerifier } from './chain-verifier';
import type { InclusionProof } from './inclusion-proof-check';
import { AuditRecordUnsealedError, InclusionProofs } from './inclusion-proofs';
import { type AuditReportView, recordProofRoute, verifyAuditRoute } from './verify.contracts';

@Controller()
export class VerifyAdminController {
  constructor(
    private readonly verifier: ChainVerifier,
    private readonly proofs: InclusionProofs,
  ) {}

  @Route(verifyAuditRoute)
  async verify(): Promise<AuditReportView> {
    const { firstBrokenRecord, firstBrokenBlock, ...report } = await this.verifier.verify();
    return {
      ...report,
      firstBrokenRecord: firstBrokenRecord && { ...firstBrokenRecord, seq: firstBrokenRecord.seq.toString() },
      firstBrokenBlock: firstBrokenBlock && { ...firstBrokenBlock, height: firstBrokenBlock.height.toString() },
    };
  }

  @Route(recordProofRoute)
  async proof(@Param() params: ParamsOf<typeof recordProofRoute>): Promise<InclusionProof> {
    try {
      const proof = await this.proofs.proof(params.id);
      if (!proof) throw new ProblemException(404, 'audit-record-not-found', `No audit record ${params.id}.`);
      return proof;
    } catch (error) {
      if (error instanceof AuditRecordUnsealedError) throw new ProblemException(409, 'audit-record-unsealed', error.message);
      throw error;
    }
  }
}

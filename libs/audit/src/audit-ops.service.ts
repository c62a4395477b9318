import { Injectable } from '@nestjs/common';
import type { AuditOpsApi, AuditReport, InclusionProof } from '@bitro/service-api';
import { ChainVerifier } from './verify/chain-verifier';
import { InclusionProofs } from './verify/inclusion-proofs';

/** AUDIT_OPS_API: verification and proofs for operators and the admin routes. */
@Injectable()
export class AuditOpsService implements AuditOpsApi {
  constructor(
    private readonly verifier: ChainVerifier,
    private readonly proofs: InclusionProofs,
  ) {}

  verify(): Promise<AuditReport> {
    return this.verifier.verify();
  }

  proof(recordId: string): Promise<InclusionProof | null> {
    return this.proofs.proof(recordId);
  }
}

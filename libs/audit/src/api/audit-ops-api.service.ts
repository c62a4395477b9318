import { Injectable } from '@nestjs/common';
import type { AuditOpsApi, AuditReport } from '@bitro/service-api';
import { ChainVerifier } from '../features/verify/chain-verifier';

/** AUDIT_OPS_API: verification for operators (`audit:verify`). */
@Injectable()
export class AuditOpsApiService implements AuditOpsApi {
  constructor(private readonly verifier: ChainVerifier) {}

  verify(): Promise<AuditReport> {
    return this.verifier.verify();
  }
}

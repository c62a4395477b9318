import type { INestApplicationContext } from '@nestjs/common';
import { AUDIT_OPS_API, type AuditOpsApi } from '@bitro/service-api';
import { type Command, printReport } from '@bitro/cli';

/** Recomputes the audit chain and its block roots; exits 1 and names the first broken record when tampered with. */
export const auditVerifyCommand: Command = {
  name: 'audit:verify',
  usage: 'audit:verify   (recomputes every audit record hash in order and every block Merkle root)',
  async run(app: INestApplicationContext): Promise<number> {
    return printReport('audit', await app.get<AuditOpsApi>(AUDIT_OPS_API).verify());
  },
};

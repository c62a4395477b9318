export { AuditModule } from './audit.module';
export { verifyInclusionProof, type InclusionCheck } from './chain/inclusion-proof';
export { canonicalJson } from './chain/canonical-json';
export { anchorPayload } from './anchor/anchor-payload';

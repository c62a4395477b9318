export { AuditModule } from './audit.module';
export { verifyInclusionProof, type InclusionCheck, type InclusionProof } from './features/verify/inclusion-proof-check';
export { canonicalJson } from './features/trail/canonical-json';
export { anchorPayload } from './features/anchoring/anchor-payload';

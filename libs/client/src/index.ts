export type { ClientPaths } from './client-paths';
export { type BitroClient, type BitroClientOptions, createBitroClient, type Credentials } from './create-client';
export type { components, operations, paths } from './generated/schema';
export { IDEMPOTENCY_KEY, type RetryPolicy } from './middleware';
export { formatBtc, fromSats, toSats } from './money';
export { type Page, paginate } from './pagination';
export { BitroProblemError, type CallResult, type FieldFault, isProblem, type Problem, unwrap } from './problem';
export { Session, type Tokens } from './session';

export const OPENAPI_DOCUMENT = Symbol.for('bitro.openapi.document');

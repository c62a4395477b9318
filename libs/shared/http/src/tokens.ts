export const OPENAPI_DOCUMENT = Symbol.for('bitro.openapi.document');
/** The client guide's Markdown, served at `/docs/guide`. */
export const CLIENT_GUIDE = Symbol.for('bitro.docs.client-guide');

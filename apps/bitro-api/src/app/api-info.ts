/** The `info` of bitro-api's OpenAPI document: served at /docs/openapi.json and written to docs/openapi.json. */
export const API_INFO = {
  title: 'Bitro API',
  version: '2.0.0',
  description:
    'Bitcoin gift-card exchange: accounts, gift cards, wallet.\n\n' +
    'Errors are RFC 9457 problem documents (`application/problem+json`); branch on their `type`. ' +
    'How to call the API from a client (authentication, idempotent retries, paging, problems): [the client guide](/docs/guide).',
};

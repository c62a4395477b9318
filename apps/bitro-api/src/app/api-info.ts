import type { ApiDescription } from '@bitro/http';

/** bitro-api's OpenAPI `info` and tags: served at /docs/openapi.json and written to docs/openapi.json. */
export const API_DESCRIPTION: ApiDescription = {
  info: {
    title: 'Bitro API',
    version: '2.0.0',
    description:
      'Bitcoin gift-card exchange: accounts, gift cards, wallet.\n\n' +
      'Errors are RFC 9457 problem documents (`application/problem+json`): branch on their `type`; `errors` names each field at fault. ' +
      'Amounts are integers sent as decimal strings. How to call the API from a client (sign-in and refresh, idempotent retries, paging, problems): ' +
      '[the client guide](/docs/guide).',
    license: { name: 'Proprietary', identifier: 'LicenseRef-Bitro-Proprietary' },
  },
  tags: {
    auth: 'Sign up, sign in, refresh and end sessions.',
    me: 'The signed-in account: profile, password, e-mail verification, two-factor authentication.',
    giftcards: 'The brands Bitro redeems, and redeeming gift-card PINs for bitcoin.',
    wallet: 'Balance and history, deposit addresses, withdrawals.',
    notifications: 'The in-app inbox, notification preferences and webhooks.',
    images: 'Brand images and their resized variants.',
    admin: 'Operations for admins: users, redemption and withdrawal reviews, reserves, reconciliation, dead letters, audit.',
  },
};

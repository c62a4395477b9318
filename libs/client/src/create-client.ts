import createClient, { type Client } from 'openapi-fetch';
import type { ClientPaths } from './client-paths';
import { bitroMiddleware, type RetryPolicy } from './middleware';
import { unwrap } from './problem';
import { Session, type Tokens } from './session';

export interface BitroClientOptions {
  /** bitro-api's origin, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** The fetch to use (default: the global one). */
  fetch?: (request: Request) => Promise<Response>;
  /** Tokens of a session to continue. */
  tokens?: Tokens;
  retry?: Partial<RetryPolicy>;
}

export interface Credentials {
  email: string;
  password: string;
  /** With two-factor authentication on: the current code, or a recovery code. */
  totp?: string;
}

/** The typed client: openapi-fetch's `GET`/`POST`/... on bitro-api's paths, plus the session it signs requests with. */
export type BitroClient = Client<ClientPaths> & {
  readonly session: Session;
  /** Signs in (`POST /v1/auth/login`) and keeps the tokens; a refusal throws `BitroProblemError`. */
  signIn(credentials: Credentials): Promise<Required<Tokens> & { userId: string }>;
};

export function createBitroClient({ baseUrl, fetch = (request) => globalThis.fetch(request), tokens, retry = {} }: BitroClientOptions): BitroClient {
  const raw = createClient<ClientPaths>({ baseUrl, fetch });
  const session = new Session(raw, tokens);
  const client = createClient<ClientPaths>({ baseUrl, fetch });
  client.use(bitroMiddleware(session, fetch, { retries: 20, maxDelayMs: 5_000, ...retry }));
  return Object.assign(client, {
    session,
    async signIn(credentials: Credentials) {
      const signedIn = await unwrap(client.POST('/v1/auth/login', { body: credentials }));
      session.set({ accessToken: signedIn.accessToken, refreshToken: signedIn.refreshToken });
      return { accessToken: signedIn.accessToken, refreshToken: signedIn.refreshToken, userId: signedIn.user.id };
    },
  });
}

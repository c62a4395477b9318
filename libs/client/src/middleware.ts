import { randomUUID } from 'node:crypto';
import type { Middleware } from 'openapi-fetch';
import { isProblem } from './problem';
import type { Session } from './session';

export const IDEMPOTENCY_KEY = 'Idempotency-Key';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const REFRESH_PATH = '/v1/auth/refresh';

export interface RetryPolicy {
  /** How many times one logical call is re-sent on "retry shortly" answers (503, 409 idempotency-key-in-use). */
  retries: number;
  /** The longest wait between two tries: an answer whose Retry-After asks for more goes back to the caller. */
  maxDelayMs: number;
  /** Told of each re-send (e.g. to count them). */
  onRetry?: (answer: Response, attempt: number) => void;
}

/** How long the answer asks to wait before a retry (`Retry-After` in seconds), else a growing backoff. */
function delayMs(response: Response, attempt: number, policy: RetryPolicy): number {
  const retryAfter = Number(response.headers.get('retry-after') ?? NaN);
  return Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : Math.min(policy.maxDelayMs, 200 * attempt);
}

/**
 * "Retry shortly": nothing was done for lack of capacity (503), or the first try under this Idempotency-Key is still
 * running (409 idempotency-key-in-use), and the wait asked for is within the policy (a 503 with Retry-After: 60,
 * such as fee-estimate-unavailable, is the caller's to handle).
 */
async function retryable(response: Response, attempt: number, policy: RetryPolicy): Promise<boolean> {
  if (delayMs(response, attempt, policy) > policy.maxDelayMs) return false;
  if (response.status === 503) return true;
  if (response.status !== 409) return false;
  const body: unknown = await response.clone().json().catch(() => undefined);
  return isProblem(body) && body.type.endsWith('/idempotency-key-in-use');
}

interface Sent {
  /** An unread copy of the request as first sent, to send again. */
  copy: Request;
  /** The session's access token it carried (undefined when the caller set its own Authorization or none). */
  token: string | undefined;
}

/**
 * What makes one call of the client one logical request: the session's bearer token; an `Idempotency-Key` on every
 * unsafe method (unless the caller gave one), the same on each re-send; one refresh and re-send on a 401; and re-sends
 * with backoff while the API says "retry shortly".
 */
export function bitroMiddleware(session: Session, fetch: (request: Request) => Promise<Response>, policy: RetryPolicy): Middleware {
  const inFlight = new Map<string, Sent>();

  const resend = (sent: Sent): Promise<Response> => {
    const request = sent.copy.clone();
    if (sent.token && session.accessToken) request.headers.set('authorization', `Bearer ${session.accessToken}`);
    return fetch(request);
  };

  return {
    onRequest({ request, id }) {
      let token: string | undefined;
      if (!request.headers.has('authorization') && session.accessToken) {
        token = session.accessToken;
        request.headers.set('authorization', `Bearer ${token}`);
      }
      if (UNSAFE_METHODS.has(request.method) && !request.headers.has(IDEMPOTENCY_KEY)) request.headers.set(IDEMPOTENCY_KEY, randomUUID());
      inFlight.set(id, { copy: request.clone(), token });
      return request;
    },

    async onResponse({ response, id, schemaPath }) {
      const sent = inFlight.get(id);
      inFlight.delete(id);
      if (!sent) return response;
      let current = response;
      if (current.status === 401 && sent.token && schemaPath !== REFRESH_PATH && (await session.renewAfter(sent.token))) {
        current = await resend(sent);
      }
      for (let attempt = 1; attempt <= policy.retries && (await retryable(current, attempt, policy)); attempt++) {
        policy.onRetry?.(current, attempt);
        await new Promise((resolve) => setTimeout(resolve, delayMs(current, attempt, policy)));
        current = await resend(sent);
      }
      return current;
    },

    onError({ id }) {
      inFlight.delete(id);
    },
  };
}

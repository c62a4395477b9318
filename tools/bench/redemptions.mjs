// Gift-card redemptions through bitro-api's public API (sandbox issuer): users, valid sandbox PINs, redeeming,
// and the check that every balance equals the sum of its user's credited redemptions.

const MAX_RETRIES = 20;

/** "Retry shortly": no database connection in time (503), or the first try under this key still running (409). */
const retryable = ({ status, body }) => status === 503 || (status === 409 && body?.type?.endsWith('/idempotency-key-in-use'));

/** The n-th valid sandbox PIN: 16 digits, an even digit sum, not one of the special prefixes. */
export function sandboxPin(n) {
  const body = `7${String(n).padStart(14, '0')}`;
  const sum = [...body].reduce((acc, digit) => acc + Number(digit), 0);
  return `${body}${sum % 2 === 0 ? 0 : 1}`;
}

/** Signs up and signs in `count` users named after `run`; resolves their access tokens. */
export async function signUpUsers(call, count, run) {
  const tokens = [];
  for (let i = 0; i < count; i++) {
    const email = `bench-${run}-${i}@example.com`;
    const signup = await call('POST', '/v1/auth/signup', { body: { email, password: 'bench password 123', displayName: `Bench ${i}` } });
    if (signup.status !== 202) throw new Error(`signup ${i}: ${signup.status} ${JSON.stringify(signup.body)}`);
    const login = await call('POST', '/v1/auth/login', { body: { email, password: 'bench password 123' } });
    if (login.status !== 200) throw new Error(`login ${i}: ${login.status} ${JSON.stringify(login.body)}`);
    tokens.push(login.body.accessToken);
  }
  return tokens;
}

/**
 * Redemption number `n` (a PIN of its own, an idempotency key of its own) for `token`; resolves its id, how long the
 * API took to accept it and how many answers saying "retry shortly" it retried with the same key, as a client should;
 * throws when it was not accepted.
 */
export async function redeem(call, token, run, n) {
  const started = performance.now();
  for (let retries = 0; ; retries++) {
    const answer = await call('POST', '/v1/giftcards/redemptions', {
      token,
      body: { brand: 'cultureland', pin: sandboxPin(run * 1_000_000 + n) },
      headers: { 'idempotency-key': `bench-${run}-${n}` },
    });
    if (answer.status === 202) return { id: answer.body.id, acceptedMs: performance.now() - started, retries };
    if (!retryable(answer) || retries === MAX_RETRIES) throw new Error(`redemption ${n}: ${answer.status} ${JSON.stringify(answer.body)}`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 200 * (retries + 1))));
  }
}

/** Each user's credited redemptions (count and sum in sats), read page by page from the API. */
async function creditedOf(call, token) {
  let cursor = null;
  let count = 0;
  let sats = 0n;
  do {
    const page = await call('GET', `/v1/giftcards/redemptions?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    if (page.status !== 200) throw new Error(`redemption list: ${page.status} ${JSON.stringify(page.body)}`);
    for (const item of page.body.items) {
      if (item.state === 'credited') {
        count += 1;
        sats += BigInt(item.amountSats);
      }
    }
    cursor = page.body.nextCursor;
  } while (cursor);
  return { count, sats };
}

/**
 * Checks every user's balance against the sum of their credited redemptions (and that none is negative);
 * resolves how many balances were checked, how many mismatched, and how many redemptions were credited in all.
 */
export async function checkBalances(call, tokens) {
  let mismatched = 0;
  let credited = 0;
  for (const token of tokens) {
    const expected = await creditedOf(call, token);
    credited += expected.count;
    const { status, body } = await call('GET', '/v1/wallet/balance', { token });
    if (status !== 200) throw new Error(`balance: ${status} ${JSON.stringify(body)}`);
    const available = BigInt(body.availableSats);
    if (available !== expected.sats || available < 0n) mismatched += 1;
  }
  return { checked: tokens.length, mismatched, credited };
}

// Gift-card redemptions through bitro-api's public API (sandbox issuer), with @bitro/client: users, valid sandbox PINs,
// redeeming, and the check that every balance equals the sum of its user's credited redemptions.

/** The n-th valid sandbox PIN: 16 digits, an even digit sum, not one of the special prefixes. */
export function sandboxPin(n) {
  const body = `7${String(n).padStart(14, '0')}`;
  const sum = [...body].reduce((acc, digit) => acc + Number(digit), 0);
  return `${body}${sum % 2 === 0 ? 0 : 1}`;
}

/**
 * Clients of bitro-api at `baseUrl` (`bitro`: the @bitro/client module) that count every answer they retried in
 * `retried.count`: the client retries "retry shortly" answers (503, 409 idempotency-key-in-use) with the same key.
 */
export function clientFactory(bitro, baseUrl) {
  const retried = { count: 0 };
  const connect = () => bitro.createBitroClient({ baseUrl, retry: { onRetry: () => (retried.count += 1) } });
  return { connect, retried };
}

/** Signs up and signs in `count` users named after `run`; resolves a signed-in client of each. */
export async function signUpUsers(bitro, connect, count, run) {
  const clients = [];
  for (let i = 0; i < count; i++) {
    const email = `bench-${run}-${i}@example.com`;
    const client = connect();
    await bitro.unwrap(client.POST('/v1/auth/signup', { body: { email, password: 'bench password 123', displayName: `Bench ${i}` } }));
    await client.signIn({ email, password: 'bench password 123' });
    clients.push(client);
  }
  return clients;
}

/**
 * Redemption number `n` (a PIN of its own; the client gives it an Idempotency-Key of its own, the same on each retry)
 * for the user of `client`; resolves its id and how long the API took to accept it; throws when it was not accepted.
 */
export async function redeem(client, run, n) {
  const started = performance.now();
  const { data, error, response } = await client.POST('/v1/giftcards/redemptions', { body: { brand: 'cultureland', pin: sandboxPin(run * 1_000_000 + n) } });
  if (response.status !== 202) throw new Error(`redemption ${n}: ${response.status} ${JSON.stringify(error)}`);
  return { id: data.id, acceptedMs: performance.now() - started };
}

/** A user's credited redemptions (count and sum in sats), read page by page from the API. */
async function creditedOf(bitro, client) {
  let count = 0;
  let sats = 0n;
  const page = (cursor) => bitro.unwrap(client.GET('/v1/giftcards/redemptions', { params: { query: { limit: 100, cursor } } }));
  for await (const item of bitro.paginate(page)) {
    if (item.state === 'credited') {
      count += 1;
      sats += bitro.fromSats(item.amountSats);
    }
  }
  return { count, sats };
}

/**
 * Checks every user's balance against the sum of their credited redemptions (and that none is negative);
 * resolves how many balances were checked, how many mismatched, and how many redemptions were credited in all.
 */
export async function checkBalances(bitro, clients) {
  let mismatched = 0;
  let credited = 0;
  for (const client of clients) {
    const expected = await creditedOf(bitro, client);
    credited += expected.count;
    const available = bitro.fromSats((await bitro.unwrap(client.GET('/v1/wallet/balance'))).availableSats);
    if (available !== expected.sats || available < 0n) mismatched += 1;
  }
  return { checked: clients.length, mismatched, credited };
}

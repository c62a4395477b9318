import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  acknowledgeReservesRoute,
  bumpWithdrawalFeeRoute,
  estimateWithdrawalFeeRoute,
  type InternalRoute,
  type InternalRouteResponse,
  issueDepositAddressRoute,
  reservesReportRoute,
  validateAddressRoute,
  verifyRequest,
} from '@bitro/gateway-contract';

export const FAKE_GATEWAY_SECRET = 'fake-gateway-hmac-secret-0123456789abcdef';

const BECH32_CHARS = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

/** A regtest P2WPKH-looking address derived from `seed` (the fake checks the shape, not a checksum). */
export const fakeAddress = (seed: string): string =>
  `bcrt1q${[...createHash('sha256').update(seed).digest()].slice(0, 32).map((byte) => BECH32_CHARS[byte % 32]).join('')}${'q'.repeat(6)}`;

/** What the fake takes for a valid address: regtest bech32, any case (answered lower-case, as Core does). */
const VALID_ADDRESS = /^bcrt1q[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{38,58}$/;

export interface FakeGatewayCall {
  path: string;
  body: unknown;
}

/**
 * bitcoin-gateway's internal API as bitro-api sees it: the wallet's routes of @bitro/gateway-contract over
 * real HTTP, each request's HMAC signature verified (401 otherwise), bodies checked against the contract.
 */
export interface FakeGateway {
  url: string;
  /** up: answers; down: 503 as the gateway does when its node is unreachable; hang: never answers. */
  mode: 'up' | 'down' | 'hang';
  /** The fee estimate it answers. */
  feeSats: bigint;
  /** How it refuses fee bumps (a problem naming the reason); null: it bumps. */
  feeBumpRefusal: { status: 409 | 422; reason: string; detail: string } | null;
  /** The reserves check it reports, and how many open mismatches an acknowledgement closes. */
  reserves: { report: InternalRouteResponse<typeof reservesReportRoute>; openMismatches: number };
  /** Every signed request it accepted, in order. */
  readonly calls: FakeGatewayCall[];
  /** Requests it refused for their signature. */
  readonly unsigned: number;
  close(): Promise<void>;
}

export async function startFakeGateway(secret = FAKE_GATEWAY_SECRET): Promise<FakeGateway> {
  const answers = new Map<string, { route: InternalRoute; answer: (body: never) => unknown }>([
    [issueDepositAddressRoute.path, { route: issueDepositAddressRoute, answer: depositAddress }],
    [validateAddressRoute.path, { route: validateAddressRoute, answer: validation }],
    [estimateWithdrawalFeeRoute.path, { route: estimateWithdrawalFeeRoute, answer: () => feeEstimate(gateway.feeSats) }],
    [bumpWithdrawalFeeRoute.path, { route: bumpWithdrawalFeeRoute, answer: feeBump }],
    [reservesReportRoute.path, { route: reservesReportRoute, answer: () => gateway.reserves.report }],
    [acknowledgeReservesRoute.path, { route: acknowledgeReservesRoute, answer: () => acknowledgement(gateway.reserves) }],
  ]);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const path = request.url ?? '';
    const verified = verifyRequest({ method: request.method ?? '', path, body: raw, headers: request.headers, secret });
    if (!verified.ok) {
      state.unsigned += 1;
      return send(response, 401, { type: `https://bitro.dev/problems/${verified.reason}`, title: 'Unauthorized', status: 401, detail: verified.message });
    }
    if (gateway.mode === 'hang') return;
    if (gateway.mode === 'down') return send(response, 503, { type: 'https://bitro.dev/problems/bitcoin-node-unavailable', title: 'Service Unavailable', status: 503 });
    const entry = answers.get(path);
    if (!entry || request.method !== 'POST') return send(response, 404, { type: 'about:blank', title: 'Not Found', status: 404 });
    const body = entry.route.body.safeParse(JSON.parse(raw.toString('utf8') || 'null'));
    if (!body.success) return send(response, 400, { type: 'https://bitro.dev/problems/validation', title: 'Bad Request', status: 400 });
    state.calls.push({ path, body: body.data });
    const refusal = path === bumpWithdrawalFeeRoute.path ? gateway.feeBumpRefusal : null;
    if (refusal) return send(response, refusal.status, { type: `https://bitro.dev/problems/${refusal.reason}`, title: 'Conflict', status: refusal.status, detail: refusal.detail });
    send(response, 200, entry.answer(body.data as never));
  }

  const state = { calls: [] as FakeGatewayCall[], unsigned: 0 };
  const server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => send(response, 500, { title: 'Internal Server Error', status: 500, detail: error.message }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const gateway: FakeGateway = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    mode: 'up',
    feeSats: 1_410n,
    feeBumpRefusal: null,
    reserves: { report: { toleranceSats: '0', paused: null, checks: [] }, openMismatches: 0 },
    get calls() {
      return state.calls;
    },
    get unsigned() {
      return state.unsigned;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return gateway;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': status === 200 ? 'application/json' : 'application/problem+json' });
  response.end(JSON.stringify(body));
}

function depositAddress({ userId }: { userId: string }): InternalRouteResponse<typeof issueDepositAddressRoute> {
  return { userId, address: fakeAddress(userId), type: 'p2wpkh', network: 'regtest' };
}

function validation({ address }: { address: string }): InternalRouteResponse<typeof validateAddressRoute> {
  const trimmed = address.trim().toLowerCase();
  if (VALID_ADDRESS.test(trimmed)) return { valid: true, address: trimmed, type: 'p2wpkh', scriptPubKeyHex: '0014' + '00'.repeat(20) };
  if (/^(bc|tb)1/.test(trimmed)) return { valid: false, reason: 'wrong-network', message: 'Address is for another network than regtest' };
  return { valid: false, reason: 'invalid-encoding', message: 'Not a valid Bech32 or Base58 encoding' };
}

function feeEstimate(feeSats: bigint): InternalRouteResponse<typeof estimateWithdrawalFeeRoute> {
  return { feeSats: feeSats.toString(), feeRateSatPerKvB: (feeSats * 1000n / 141n).toString(), confTarget: 6 };
}

/** Closes the open mismatches: payouts resume; the difference of the latest check becomes an adjustment. */
function acknowledgement(reserves: FakeGateway['reserves']): InternalRouteResponse<typeof acknowledgeReservesRoute> {
  const acknowledgedChecks = reserves.openMismatches;
  const adjustedSats = acknowledgedChecks > 0 ? (reserves.report.checks[0]?.differenceSats ?? '0') : '0';
  reserves.openMismatches = 0;
  reserves.report = { ...reserves.report, paused: null };
  return { adjustedSats, acknowledgedChecks };
}

/** A 141 vB replacement at the (whole sat/vB of the) requested rate, its txid derived from the request. */
function feeBump({ withdrawalId, feeRateSatPerVb }: { withdrawalId: string; feeRateSatPerVb: string }): InternalRouteResponse<typeof bumpWithdrawalFeeRoute> {
  const txidOf = (seed: string) => createHash('sha256').update(seed).digest('hex');
  return {
    withdrawalIds: [withdrawalId],
    payoutId: '00000000-0000-4000-8000-000000000001',
    txid: txidOf(`${withdrawalId}:${feeRateSatPerVb}`),
    replacedTxid: txidOf(withdrawalId),
    feeSats: (BigInt(feeRateSatPerVb.split('.')[0]) * 141n).toString(),
    vsize: 141,
    status: 'broadcast',
  };
}

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type GatewayEnv, gatewayEnvSchema, loadEnv } from '@bitro/config';
import { INTERNAL_API_PREFIX, signRequest } from '@bitro/gateway-contract';
import { startRegtestNode, type RunningRegtestNode } from '@bitro/regtest-node';
import {
  createTestDatabase,
  createTestRedisNamespace,
  requestJson,
  withAdminClient,
  type JsonResponse,
  type TestDatabase,
  type TestRedisNamespace,
} from '@bitro/testing';
import { createApp } from '../src/app/create-app';

export const TEST_HMAC_SECRET = 'test-gateway-hmac-secret-0123456789abcdef';
const RPC = { rpcUser: 'gateway', rpcPassword: 'gateway-rpc-password' };

export interface TestGateway {
  url: string;
  env: GatewayEnv;
  node: RunningRegtestNode;
  database: TestDatabase;
  redis: TestRedisNamespace;
  app: NestFastifyApplication;
  /** POST to an internal route, signed with the test secret (or `secret`). */
  post<T = Record<string, unknown>>(path: string, body: unknown, options?: { secret?: string; timestamp?: number }): Promise<JsonResponse<T>>;
  /** A JSON-RPC call to the gateway's wallet on the node; throws on an RPC error. */
  rpc<T = unknown>(method: string, params: unknown[]): Promise<T>;
  /** SQL on the gateway's database. */
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** bitcoin-gateway on a random port, with its own database, Redis namespace and in-process regtest node. */
export async function startTestGateway(overrides: Record<string, string> = {}): Promise<TestGateway> {
  const node = await startRegtestNode({ port: 0, ...RPC });
  const database = await createTestDatabase();
  const redis = createTestRedisNamespace();
  const env = loadEnv(gatewayEnvSchema, {
    GATEWAY_DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: redis.prefix,
    BITCOIN_RPC_URL: node.url,
    BITCOIN_RPC_USER: RPC.rpcUser,
    BITCOIN_RPC_PASSWORD: RPC.rpcPassword,
    BITCOIN_RPC_TIMEOUT_MS: '2000',
    GATEWAY_HMAC_SECRET: TEST_HMAC_SECRET,
    LOG_LEVEL: 'silent',
    // Test files run side by side: no metrics port unless a test asks for one.
    METRICS_PORT: '0',
    ...overrides,
  });
  const app = await createApp(env);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    url,
    env,
    node,
    database,
    redis,
    app,
    post: (path, body, options = {}) => {
      const rawBody = JSON.stringify(body);
      const headers = signRequest({ method: 'POST', path, body: rawBody, secret: options.secret ?? TEST_HMAC_SECRET, timestamp: options.timestamp });
      return requestJson(url, 'POST', path, { rawBody, headers: { ...headers } });
    },
    async rpc<T>(method: string, params: unknown[]) {
      const { user, password } = node.credentials;
      const response = await fetch(`${node.url}/wallet/${env.BITCOIN_RPC_WALLET}`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '1.0', id: 1, method, params }),
      });
      const answer = (await response.json()) as { result: T; error: unknown };
      if (answer.error) throw new Error(JSON.stringify(answer.error));
      return answer.result;
    },
    query: (sql, params = []) => withAdminClient(database.url, async (client) => (await client.query(sql, params)).rows as Record<string, unknown>[]),
    async close() {
      await app.close();
      await node.close();
      await Promise.all([database.drop(), redis.clear()]);
    },
  };
}

export const routes = {
  depositAddresses: `${INTERNAL_API_PREFIX}/deposit-addresses`,
  validate: `${INTERNAL_API_PREFIX}/addresses/validate`,
  fee: `${INTERNAL_API_PREFIX}/withdrawal-fee-estimates`,
  feeBumps: `${INTERNAL_API_PREFIX}/withdrawals/fee-bumps`,
  anchors: `${INTERNAL_API_PREFIX}/anchors`,
};

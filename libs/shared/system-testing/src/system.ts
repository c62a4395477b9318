import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type BitroClient, createBitroClient, fromSats, type RetryPolicy, type Tokens, unwrap } from '@bitro/client';
import { createPgPool } from '@bitro/db';
import { createTestDatabase, createTestRedisNamespace, freePort, TEST_JWT_SECRET, totpCode } from '@bitro/testing';
import type { Pool } from 'pg';
import { BuiltProcess, eventually } from './processes';

const root = join(import.meta.dirname, '..', '..', '..', '..');
const HMAC_SECRET = 'e2e-gateway-hmac-secret-0123456789abcdef';
const RPC = { user: 'e2e', password: 'e2e-rpc-password' };
/** Blocks a deposit needs in these tests. */
export const DEPOSIT_CONFIRMATIONS = 2;
export const GATEWAY_WALLET = 'gateway';
export const OUTSIDE_WALLET = 'outside';
const SATS_PER_BTC = 100_000_000n;
/** How long a process may take to become ready (a busy CI machine starts Nest slowly). */
const STARTUP_MS = 60_000;

export interface User {
  userId: string;
  /** The access token the user signed in with. */
  token: string;
  /** The typed REST client signed in as the user (it refreshes the session itself). */
  client: BitroClient;
  /** What the user signs in with again. */
  email: string;
  password: string;
}

/** Where the processes keep their data: each process's database and the Redis (with a key prefix) they share. */
export interface Infrastructure {
  apiDatabaseUrl: string;
  gatewayDatabaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  /** Removes what the system left behind (its databases, its Redis keys). */
  release(): Promise<void>;
}

/** A database of its own per process, cloned from the test template, and a key prefix of its own in the shared Redis. */
async function testInfrastructure(): Promise<Infrastructure> {
  const [api, gateway] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  const redis = createTestRedisNamespace();
  return {
    apiDatabaseUrl: api.url,
    gatewayDatabaseUrl: gateway.url,
    redisUrl: redis.url,
    redisPrefix: redis.prefix,
    release: async () => {
      await Promise.all([api.drop(), gateway.drop(), redis.clear()]);
    },
  };
}

/**
 * The product as three processes from their builds (dist/): the regtest node, bitcoin-gateway and bitro-api, each
 * gateway and API on a database of its own, sharing one Redis namespace.
 */
export class System {
  readonly node: BuiltProcess;
  readonly gateway: BuiltProcess;
  readonly api: BuiltProcess;
  private readonly replicas: BuiltProcess[] = [];
  /** Where the clients of this system send their requests: bitro-api, or e.g. a validating proxy in front of it. */
  clientBaseUrl: string;

  private constructor(
    private readonly ports: { node: number; gateway: number; api: number },
    private readonly infrastructure: Infrastructure,
    readonly apiPool: Pool,
    readonly gatewayPool: Pool,
    private readonly apiOverrides: Record<string, string> = {},
    private readonly gatewayOverrides: Record<string, string> = {},
  ) {
    this.node = new BuiltProcess('regtest-node', 'dist/tools/regtest-node/main.js', [
      '--port', String(ports.node), '--rpcuser', RPC.user, '--rpcpassword', RPC.password,
      '--wallet', `${GATEWAY_WALLET},${OUTSIDE_WALLET}`, '--feerate', '2000',
    ], {});
    this.gateway = new BuiltProcess('bitcoin-gateway', 'dist/apps/bitcoin-gateway/main.js', [], this.gatewayEnv());
    this.api = new BuiltProcess('bitro-api', 'dist/apps/bitro-api/main.js', [], this.apiEnv());
    this.clientBaseUrl = this.apiUrl;
  }

  /**
   * `apiEnv` overrides bitro-api's environment (e.g. SMTP_URL), `gatewayEnv` the gateway's; `infrastructure` replaces the
   * test databases and Redis namespace on the shared servers (e.g. by servers of the test's own that it may stop).
   */
  static async start(apiEnv: Record<string, string> = {}, { infrastructure, gatewayEnv = {} }: { infrastructure?: Infrastructure; gatewayEnv?: Record<string, string> } = {}): Promise<System> {
    const [node, gateway, api] = await Promise.all([freePort(), freePort(), freePort()]);
    const infra = infrastructure ?? (await testInfrastructure());
    const system = new System({ node, gateway, api }, infra, createPgPool(infra.apiDatabaseUrl, 4), createPgPool(infra.gatewayDatabaseUrl, 4), apiEnv, gatewayEnv);
    try {
      system.node.start();
      await eventually(() => system.rpc('getblockcount').then(() => true), () => system.node.tail(), 15_000);
      for (const wallet of [GATEWAY_WALLET, OUTSIDE_WALLET]) await system.rpc('generatetoaddress', [101, await system.rpc<string>('getnewaddress', [], wallet)]);
      await system.startGateway();
      await system.startApi();
    } catch (error) {
      // The test's afterAll gets no System to close: stop what was started here.
      await system.close().catch(() => undefined);
      throw error;
    }
    return system;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.ports.api}`;
  }

  async startGateway(): Promise<void> {
    this.gateway.start();
    await eventually(() => this.ready(this.ports.gateway), () => this.gateway.tail(), STARTUP_MS);
  }

  async startApi(): Promise<void> {
    this.api.start();
    await eventually(() => this.ready(this.ports.api), () => this.api.tail(), STARTUP_MS);
  }

  /** Kills bitro-api (SIGKILL) and starts it again. */
  async restartApi(): Promise<void> {
    await this.api.kill();
    await this.startApi();
  }

  /** Another bitro-api process on the same databases and Redis, e.g. a replica with other BITRO_ROLES; not started. */
  apiReplica(name: string, env: Record<string, string>): BuiltProcess {
    const replica = new BuiltProcess(name, 'dist/apps/bitro-api/main.js', [], { ...this.apiEnv(), ...env });
    this.replicas.push(replica);
    return replica;
  }

  /** Kills bitcoin-gateway (SIGKILL) and starts it again. */
  async restartGateway(): Promise<void> {
    await this.gateway.kill();
    await this.startGateway();
  }

  /** A client of the API (at `clientBaseUrl`), signed out or continuing a session (`retry`: its retry policy). */
  client(tokens?: Tokens, retry?: Partial<RetryPolicy>): BitroClient {
    return createBitroClient({ baseUrl: this.clientBaseUrl, tokens, retry });
  }

  async signup(): Promise<User> {
    const email = `e2e-${randomUUID()}@example.com`;
    const password = 'correct horse battery staple';
    const client = this.client();
    // 202: accepted, and signed in by password once the e-mail is verified (or at once when verification is off).
    await unwrap(client.POST('/v1/auth/signup', { body: { email, password, displayName: 'E2E' } }));
    return this.signIn(client, email, password);
  }

  /** A new admin (`admin:create`, the only way to make one), signed in. */
  async admin(): Promise<User> {
    const email = `e2e-admin-${randomUUID()}@example.com`;
    const { code, output } = this.command('admin:create', '--email', email);
    const password = /Generated password \(shown once\): (\S+)/.exec(output)?.[1];
    const otpauthUri = /(otpauth:\/\/\S+)/.exec(output)?.[1];
    if (code !== 0 || !password || !otpauthUri) throw new Error(`admin:create: ${code} ${output}`);
    const user = await this.signIn(this.client(), email, password, totpCode(otpauthUri));
    const me = await unwrap(user.client.GET('/v1/me'));
    if (me.role !== 'admin') throw new Error(`admin:create made ${JSON.stringify(me)}`);
    return user;
  }

  async balance(user: User): Promise<{ availableSats: bigint; heldSats: bigint }> {
    const balance = await unwrap(user.client.GET('/v1/wallet/balance'));
    return { availableSats: fromSats(balance.availableSats), heldSats: fromSats(balance.heldSats) };
  }

  private async signIn(client: BitroClient, email: string, password: string, totp?: string): Promise<User> {
    const { userId, accessToken } = await client.signIn({ email, password, totp });
    return { userId, token: accessToken, client, email, password };
  }

  /** A JSON-RPC call to the node (`wallet` selects /wallet/<name>). */
  async rpc<T = unknown>(method: string, params: unknown[] = [], wallet?: string): Promise<T> {
    const response = await fetch(`http://127.0.0.1:${this.ports.node}${wallet ? `/wallet/${wallet}` : '/'}`, {
      method: 'POST',
      headers: { authorization: basic(RPC.user, RPC.password), 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '1.0', id: 1, method, params }),
    });
    const body = (await response.json()) as { result: T; error: { code: number; message: string } | null };
    if (body.error) throw new Error(`${method}: ${body.error.message} (${body.error.code})`);
    return body.result;
  }

  /** A fault or chain control of the regtest node (`POST /control/<action>`). */
  async control(action: string, body: Record<string, unknown> = {}): Promise<unknown> {
    const response = await fetch(`http://127.0.0.1:${this.ports.node}/control/${action}`, {
      method: 'POST',
      headers: { authorization: basic('control', RPC.password), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`control ${action}: ${response.status} ${await response.text()}`);
    return response.json();
  }

  /** Takes the node off the network for `ms` (it answers the control call first, then goes); resolves once it is gone. */
  async nodeDown(ms: number): Promise<void> {
    await this.control('down', { ms });
    await eventually(() => this.rpc('getblockcount').then(() => false, () => true), () => 'the node did not go down', 5_000);
  }

  /** Pays `address` from the outside wallet; returns the txid. */
  send(address: string, sats: bigint): Promise<string> {
    return this.rpc<string>('sendtoaddress', [address, btc(sats)], OUTSIDE_WALLET);
  }

  async mine(blocks: number): Promise<void> {
    await this.rpc('generatetoaddress', [blocks, await this.rpc<string>('getnewaddress', [], OUTSIDE_WALLET)]);
  }

  /** Satoshis the outside wallet received on `address` (in the mempool too). */
  async receivedBy(address: string): Promise<bigint> {
    const amount = await this.rpc<number>('getreceivedbyaddress', [address, 0], OUTSIDE_WALLET);
    return BigInt(Math.round(amount * 1e8));
  }

  /** An operator command of bitro-api (`ledger:verify`, `audit:verify`, ...) against its database: exit code and output. */
  command(...argv: string[]): { code: number | null; output: string } {
    const run = spawnSync(process.execPath, [join(root, 'dist/apps/bitro-api/main.js'), ...argv], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...this.apiEnv() },
      encoding: 'utf8',
    });
    return { code: run.status, output: `${run.stdout}${run.stderr}` };
  }

  /** The process logs, for a failing assertion. */
  logs(): string {
    return [this.node, this.gateway, this.api, ...this.replicas].map((p) => `--- ${p.name}\n${p.tail()}`).join('\n');
  }

  async close(): Promise<void> {
    await Promise.all([this.api.stop(), this.gateway.stop(), ...this.replicas.map((replica) => replica.stop())]);
    await this.node.stop();
    await Promise.all([this.apiPool.end(), this.gatewayPool.end()]);
    await this.infrastructure.release();
  }

  private async ready(port: number): Promise<boolean> {
    const response = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
    return response?.status === 200;
  }

  private shared(): Record<string, string> {
    return {
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      REDIS_URL: this.infrastructure.redisUrl,
      REDIS_KEY_PREFIX: this.infrastructure.redisPrefix,
      GATEWAY_HMAC_SECRET: HMAC_SECRET,
      OUTBOX_RELAY_INTERVAL_MS: '50',
      EVENT_BACKOFF_MS: '200',
      // Replicas and parallel test files would meet on the default metrics ports.
      METRICS_PORT: '0',
    };
  }

  private gatewayEnv(): Record<string, string> {
    return {
      ...this.shared(),
      PORT: String(this.ports.gateway),
      GATEWAY_DATABASE_URL: this.infrastructure.gatewayDatabaseUrl,
      BITCOIN_NETWORK: 'regtest',
      BITCOIN_RPC_URL: `http://127.0.0.1:${this.ports.node}`,
      BITCOIN_RPC_USER: RPC.user,
      BITCOIN_RPC_PASSWORD: RPC.password,
      BITCOIN_RPC_WALLET: GATEWAY_WALLET,
      BITCOIN_RPC_TIMEOUT_MS: '1500',
      DEPOSIT_CONFIRMATIONS: String(DEPOSIT_CONFIRMATIONS),
      DEPOSIT_SCAN_INTERVAL_MS: '1000',
      DEPOSIT_TIP_POLL_MS: '200',
      WITHDRAWAL_SEND_INTERVAL_MS: '300',
      WITHDRAWAL_CONFIRMATIONS: '1',
      ...this.gatewayOverrides,
    };
  }

  private apiEnv(): Record<string, string> {
    return {
      ...this.shared(),
      PORT: String(this.ports.api),
      DATABASE_URL: this.infrastructure.apiDatabaseUrl,
      JWT_SECRET: TEST_JWT_SECRET,
      PIN_HASH_KEY: 'e2e-pin-hash-key-0123456789abcdef-0123456789',
      GATEWAY_URL: `http://127.0.0.1:${this.ports.gateway}`,
      WITHDRAWAL_DAILY_LIMIT_SATS: '100000000',
      // Approval off unless a test sets a threshold: the other tests withdraw more than the default.
      WITHDRAWAL_APPROVAL_THRESHOLD_SATS: '2100000000000000',
      // No mailbox here: users move money without verifying their e-mail (bitro-api's tests cover verification).
      EMAIL_VERIFICATION_REQUIRED: 'false',
      ...this.apiOverrides,
    };
  }
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Satoshis as the decimal BTC string Core reads exactly. */
export function btc(sats: bigint): string {
  return `${sats / SATS_PER_BTC}.${(sats % SATS_PER_BTC).toString().padStart(8, '0')}`;
}

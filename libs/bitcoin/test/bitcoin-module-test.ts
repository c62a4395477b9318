import { randomUUID } from 'node:crypto';
import { GATEWAY_COMMANDS, GATEWAY_EVENTS, GATEWAY_QUEUES, withdrawalRequestedV1 } from '@bitro/gateway-contract';
import type { DomainEvent } from '@bitro/messaging';
import { startRegtestNode, type RunningRegtestNode } from '@bitro/regtest-node';
import { type ModuleTest, startModuleTest } from '@bitro/testing';
import { BitcoinModule, type BitcoinModuleOptions } from '../src/index';
import { BitcoinRpcClient } from '../src/features/node/bitcoin-rpc.client';
import { BitcoinPrisma } from '../src/persistence/bitcoin-prisma';

const RPC = { rpcUser: 'gateway', rpcPassword: 'gateway-rpc-password' };
/** The gateway's wallet on the node, and a second one standing for everybody else (senders, withdrawal payees). */
export const GATEWAY_WALLET = 'gateway';
export const OUTSIDE_WALLET = 'outside';

/** bitcoin-gateway's messaging routes: bitro-api's commands in, the gateway's events out. */
const GATEWAY_ROUTES = { outbound: GATEWAY_EVENTS, inbound: [{ queue: GATEWAY_QUEUES.commands, events: GATEWAY_COMMANDS }] };

/** The module's options besides the node's (rpc, network), which the test's regtest node sets. */
export type BitcoinTestOptions = Partial<Omit<BitcoinModuleOptions, 'rpc' | 'network'>>;

/** A `gateway.withdrawal-requested.v1` from bitro-api; a given `eventId` delivers the same event again. */
export interface WithdrawalRequest {
  userId: string;
  address: string;
  amountSats: bigint;
  maxFeeSats?: bigint;
  withdrawalId?: string;
  eventId?: string;
  occurredAt?: Date;
}

export interface BitcoinModuleTest {
  mod: ModuleTest;
  node: RunningRegtestNode;
  /** RPC client of the gateway's wallet, and of the outside wallet. */
  gatewayRpc: BitcoinRpcClient;
  outsideRpc: BitcoinRpcClient;
  prisma: BitcoinPrisma;
  options: BitcoinModuleOptions;
  /** Every event the module appended to the outbox, oldest first: not those delivered to it. */
  appended(): Promise<Array<Pick<DomainEvent, 'id' | 'name' | 'payload'>>>;
  /** Delivers `gateway.withdrawal-requested.v1` to the module's consumer; resolves to the withdrawal's id. */
  requestWithdrawal(request: WithdrawalRequest): Promise<string>;
  /** Mines `blocks` to an address of the outside wallet. */
  mine(blocks: number): Promise<string[]>;
  /** The module again, as another gateway process on the same database and node would run it (nothing in memory). */
  startAgain(): Promise<ModuleTest>;
  close(): Promise<void>;
}

/**
 * BitcoinModule on the module test harness (a database of its own, no workers: events stay in the outbox) against an
 * in-process regtest node with two wallets, the gateway's and an outside one, both funded (each has mined 101 blocks'
 * worth: 50 BTC spendable).
 */
export async function startBitcoinModuleTest(options: BitcoinTestOptions = {}, nodeOptions: { encryptedPassphrase?: string } = {}): Promise<BitcoinModuleTest> {
  const node = await startRegtestNode({ port: 0, ...RPC, wallets: [GATEWAY_WALLET, OUTSIDE_WALLET], feeRateSatPerKvB: 2_000n, ...nodeOptions });
  const moduleOptions: BitcoinModuleOptions = {
    network: 'regtest',
    rpc: { url: node.url, wallet: GATEWAY_WALLET, auth: { user: RPC.rpcUser, password: RPC.rpcPassword }, timeoutMs: 2_000 },
    ...options,
  };
  // The gateway's pool size (GATEWAY_DATABASE_POOL_SIZE).
  const start = (env: Record<string, string> = {}) =>
    startModuleTest({ module: BitcoinModule.register(moduleOptions), messaging: GATEWAY_ROUTES, env: { DATABASE_POOL_SIZE: '10', ...env } });
  const mod = await start().catch(async (error: unknown) => {
    await node.close();
    throw error;
  });

  const gatewayRpc = mod.get(BitcoinRpcClient);
  const outsideRpc = gatewayRpc.forWallet(OUTSIDE_WALLET);
  const mine = async (blocks: number) => gatewayRpc.generateToAddress(blocks, await outsideRpc.getNewAddress());
  const delivered = new Set<string>();
  const close = async () => {
    try {
      await mod.close();
    } finally {
      await node.close();
    }
  };
  try {
    await gatewayRpc.generateToAddress(1, await gatewayRpc.getNewAddress());
    await mine(101);
  } catch (error) {
    await close();
    throw error;
  }

  return {
    mod,
    node,
    gatewayRpc,
    outsideRpc,
    prisma: mod.get(BitcoinPrisma),
    options: moduleOptions,
    async appended() {
      const { rows } = await mod.pool.query<Pick<DomainEvent, 'id' | 'name' | 'payload'>>(
        'SELECT id, name, payload FROM "messaging"."outbox" WHERE NOT (id = ANY($1::uuid[])) ORDER BY occurred_at, id',
        [[...delivered]],
      );
      return rows;
    },
    async requestWithdrawal({ userId, address, amountSats, maxFeeSats = 100_000n, withdrawalId = randomUUID(), eventId = randomUUID(), occurredAt = new Date() }) {
      const payload = { withdrawalId, userId, address, amountSats: `${amountSats}`, maxFeeSats: `${maxFeeSats}` };
      delivered.add(eventId);
      await mod.deliver({ id: eventId, name: withdrawalRequestedV1.name, occurredAt: occurredAt.toISOString(), payload });
      return withdrawalId;
    },
    mine,
    startAgain: () => start({ DATABASE_URL: mod.database.url, REDIS_KEY_PREFIX: mod.env.REDIS_KEY_PREFIX }),
    close,
  };
}

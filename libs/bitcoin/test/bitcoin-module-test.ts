import { Global, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { PG_POOL } from '@bitro/db';
import { Outbox } from '@bitro/messaging';
import { startRegtestNode, type RunningRegtestNode } from '@bitro/regtest-node';
import { createTestDatabase, type TestDatabase } from '@bitro/testing';
import { Pool } from 'pg';
import { BitcoinModule, type BitcoinModuleOptions } from '../src/index';
import { BitcoinRpcClient } from '../src/features/node/bitcoin-rpc.client';
import { GatewayPrisma } from '../src/persistence/gateway-prisma';

const RPC = { rpcUser: 'gateway', rpcPassword: 'gateway-rpc-password' };
/** The gateway's wallet on the node, and a second one standing for everybody else (senders, withdrawal payees). */
export const GATEWAY_WALLET = 'gateway';
export const OUTSIDE_WALLET = 'outside';

export interface OutboxRow {
  id: string;
  name: string;
  payload: Record<string, unknown>;
}

export interface BitcoinTestContext {
  moduleRef: TestingModule;
  node: RunningRegtestNode;
  /** RPC client of the gateway's wallet, and of the outside wallet. */
  gatewayRpc: BitcoinRpcClient;
  outsideRpc: BitcoinRpcClient;
  pool: Pool;
  prisma: GatewayPrisma;
  options: BitcoinModuleOptions;
  /** Events the code under test appended to the outbox, oldest first (optionally only those named `name`). */
  outbox(name?: string): Promise<OutboxRow[]>;
  /** Mines `blocks` to an address of the outside wallet. */
  mine(blocks: number): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * BitcoinModule on a database of its own (every schema migrated) and an in-process regtest node with two wallets:
 * the gateway's and an outside one, both funded (each has mined 101 blocks' worth: 50 BTC spendable).
 * No messaging workers: events stay in the outbox for the test to read.
 */
export async function startBitcoinContext(
  options: Partial<Omit<BitcoinModuleOptions, 'rpc' | 'network'>> = {},
  nodeOptions: { encryptedPassphrase?: string } = {},
): Promise<BitcoinTestContext> {
  const node = await startRegtestNode({ port: 0, ...RPC, wallets: [GATEWAY_WALLET, OUTSIDE_WALLET], feeRateSatPerKvB: 2_000n, ...nodeOptions });
  const database: TestDatabase = await createTestDatabase();
  const pool = new Pool({ connectionString: database.url, max: 10 });
  const moduleOptions: BitcoinModuleOptions = {
    network: 'regtest',
    rpc: { url: node.url, wallet: GATEWAY_WALLET, auth: { user: RPC.rpcUser, password: RPC.rpcPassword }, timeoutMs: 2_000 },
    ...options,
  };

  @Global()
  @Module({ providers: [{ provide: PG_POOL, useValue: pool }, Outbox], exports: [PG_POOL, Outbox] })
  class InfrastructureModule {}

  const moduleRef = await Test.createTestingModule({ imports: [InfrastructureModule, BitcoinModule.register(moduleOptions)] }).compile();
  await moduleRef.init();
  const gatewayRpc = moduleRef.get(BitcoinRpcClient);
  const outsideRpc = gatewayRpc.forWallet(OUTSIDE_WALLET);
  const mine = async (blocks: number) => gatewayRpc.generateToAddress(blocks, await outsideRpc.getNewAddress());
  await gatewayRpc.generateToAddress(1, await gatewayRpc.getNewAddress());
  await mine(101);

  return {
    moduleRef,
    node,
    gatewayRpc,
    outsideRpc,
    pool,
    prisma: moduleRef.get(GatewayPrisma),
    options: moduleOptions,
    async outbox(name) {
      const { rows } = await pool.query<OutboxRow>(
        `SELECT id, name, payload FROM "messaging"."outbox" WHERE $1::text IS NULL OR name = $1 ORDER BY occurred_at, id`,
        [name ?? null],
      );
      return rows;
    },
    mine,
    async close() {
      await moduleRef.close();
      await pool.end();
      await node.close();
      await database.drop();
    },
  };
}

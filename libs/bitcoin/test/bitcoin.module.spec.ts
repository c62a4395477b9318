import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { PG_POOL } from '@bitro/db';
import { Outbox } from '@bitro/messaging';
import { Pool } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { BitcoinModule, type BitcoinModuleOptions } from '../src/index';
import { BITCOIN_MODULE_OPTIONS } from '../src/bitcoin-module.options';
import { AddressValidator } from '../src/features/addresses/address-validator';
import { BitcoinRpcClient } from '../src/features/node/bitcoin-rpc.client';

const options: BitcoinModuleOptions = {
  network: 'regtest',
  rpc: { url: 'http://127.0.0.1:18443', wallet: 'gateway', auth: { user: 'u', password: 'p' } },
};

// Never connected: the module only needs the gateway's pool to build its Prisma client.
const pool = new Pool({ connectionString: 'postgresql://postgres@127.0.0.1:5432/unused' });

@Global()
@Module({ providers: [{ provide: PG_POOL, useValue: pool }, Outbox], exports: [PG_POOL, Outbox] })
class PoolModule {}

describe('BitcoinModule', () => {
  afterAll(() => pool.end());

  it('provides the RPC client and an address validator for the configured network', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [PoolModule, BitcoinModule.register(options)] }).compile();
    expect(moduleRef.get(BitcoinRpcClient)).toBeInstanceOf(BitcoinRpcClient);
    const validator = moduleRef.get(AddressValidator);
    expect(validator.network).toBe('regtest');
    expect(validator.validate('bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080').valid).toBe(true);
    await moduleRef.close();
  });

  it('builds its options from injected providers with registerAsync', async () => {
    const CONFIG = Symbol('CONFIG');
    const moduleRef = await Test.createTestingModule({
      imports: [
        PoolModule,
        BitcoinModule.registerAsync({
          imports: [{ module: class ConfigHolder {}, providers: [{ provide: CONFIG, useValue: 'main' }], exports: [CONFIG] }],
          inject: [CONFIG],
          useFactory: (network: 'main') => ({ ...options, network }),
        }),
      ],
    }).compile();
    expect(moduleRef.get(AddressValidator).network).toBe('main');
    expect(moduleRef.get(BITCOIN_MODULE_OPTIONS, { strict: false }).network).toBe('main');
    await moduleRef.close();
  });
});

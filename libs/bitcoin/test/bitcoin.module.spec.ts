import { type ModuleTest, startModuleTest } from '@bitro/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { BitcoinModule, type BitcoinModuleOptions } from '../src/index';
import { BITCOIN_MODULE_OPTIONS } from '../src/bitcoin-module.options';
import { AddressValidator } from '../src/features/addresses/address-validator';
import { BitcoinRpcClient } from '../src/features/node/bitcoin-rpc.client';

// Never called: the module only builds its RPC client from these.
const options: BitcoinModuleOptions = {
  network: 'regtest',
  rpc: { url: 'http://127.0.0.1:18443', wallet: 'gateway', auth: { user: 'u', password: 'p' } },
};

describe('BitcoinModule', () => {
  let mod: ModuleTest | undefined;

  afterEach(async () => {
    await mod?.close();
    mod = undefined;
  });

  it('provides the RPC client and an address validator for the configured network', async () => {
    mod = await startModuleTest({ module: BitcoinModule.register(options) });
    expect(mod.get(BitcoinRpcClient)).toBeInstanceOf(BitcoinRpcClient);
    const validator = mod.get(AddressValidator);
    expect(validator.network).toBe('regtest');
    expect(validator.validate('bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080').valid).toBe(true);
  });

  it('builds its options from injected providers with registerAsync', async () => {
    const CONFIG = Symbol('CONFIG');
    mod = await startModuleTest({
      module: BitcoinModule.registerAsync({
        imports: [{ module: class ConfigHolder {}, providers: [{ provide: CONFIG, useValue: 'main' }], exports: [CONFIG] }],
        inject: [CONFIG],
        useFactory: (network: 'main') => ({ ...options, network }),
      }),
    });
    expect(mod.get(AddressValidator).network).toBe('main');
    expect(mod.get(BITCOIN_MODULE_OPTIONS).network).toBe('main');
  });
});

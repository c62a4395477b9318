import { validateAddressRoute } from '@bitro/gateway-contract';
import { describe, expect, it } from 'vitest';
import { INVALID_ADDRESSES, VALID_ADDRESSES } from '../../../test/address-vectors';
import { AddressValidator, validateAddress } from './address-validator';

describe('validateAddress', () => {
  it.each(VALID_ADDRESSES)('accepts $address on $network as $type', ({ address, network, type, scriptPubKeyHex }) => {
    expect(validateAddress(address, network)).toEqual({ valid: true, type, scriptPubKeyHex });
  });

  it.each(INVALID_ADDRESSES)('rejects $address ($source) as $reason', ({ address, networks, reason }) => {
    const [first, ...others] = networks;
    expect(validateAddress(address, first)).toMatchObject({ valid: false, reason });
    for (const network of others) expect(validateAddress(address, network).valid, network).toBe(false);
  });

  it('accepts upper-case bech32 and reports the same script as lower-case', () => {
    const lower = validateAddress('bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080', 'regtest');
    expect(validateAddress('BCRT1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KYGT080', 'regtest')).toEqual(lower);
  });

  it('explains its rejections', () => {
    expect(new AddressValidator('regtest').validate('bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0')).toEqual({
      valid: false,
      reason: 'wrong-network',
      message: 'Address prefix "bc" is not for this network (expected "bcrt")',
    });
  });

  it('answers in the shape of the gateway contract\'s validate-address route', () => {
    for (const { address, network } of VALID_ADDRESSES) {
      expect(validateAddressRoute.response.safeParse({ address, ...validateAddress(address, network) }).success).toBe(true);
    }
    for (const { address, networks } of INVALID_ADDRESSES) {
      expect(validateAddressRoute.response.safeParse(validateAddress(address, networks[0])).success).toBe(true);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { bitroEnvSchema } from './bitro-env.schema';
import { loadEnv } from './load-env';

const valid = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/bitro',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_SECRET: 'x'.repeat(32),
  PIN_HASH_KEY: 'p'.repeat(32),
};

describe('bitroEnvSchema: bitcoin-gateway and withdrawals', () => {
  it('defaults to a local gateway and the documented withdrawal limits', () => {
    expect(loadEnv(bitroEnvSchema, valid)).toMatchObject({
      GATEWAY_URL: 'http://127.0.0.1:3100',
      GATEWAY_HMAC_SECRET: undefined,
      GATEWAY_TIMEOUT_MS: 5_000,
      WITHDRAWAL_MIN_SATS: 10_000n,
      WITHDRAWAL_DAILY_LIMIT_SATS: 10_000_000n,
      WITHDRAWAL_MAX_FEE_MULTIPLIER_PERCENT: 200,
    });
  });

  it('takes the gateway settings and limits as given', () => {
    const env = loadEnv(bitroEnvSchema, {
      ...valid,
      GATEWAY_URL: 'http://bitcoin-gateway:3100',
      GATEWAY_HMAC_SECRET: 'h'.repeat(32),
      GATEWAY_TIMEOUT_MS: '800',
      WITHDRAWAL_MIN_SATS: '5460',
      WITHDRAWAL_DAILY_LIMIT_SATS: '2100000000000000',
      WITHDRAWAL_MAX_FEE_MULTIPLIER_PERCENT: '150',
    });
    expect(env).toMatchObject({
      GATEWAY_URL: 'http://bitcoin-gateway:3100',
      GATEWAY_HMAC_SECRET: 'h'.repeat(32),
      GATEWAY_TIMEOUT_MS: 800,
      WITHDRAWAL_MIN_SATS: 5_460n,
      WITHDRAWAL_DAILY_LIMIT_SATS: 2_100_000_000_000_000n,
      WITHDRAWAL_MAX_FEE_MULTIPLIER_PERCENT: 150,
    });
  });

  it('requires the gateway secret in production, and a strong one anywhere', () => {
    expect(() => loadEnv(bitroEnvSchema, { ...valid, NODE_ENV: 'production' })).toThrow(/GATEWAY_HMAC_SECRET: is required when NODE_ENV=production/);
    expect(loadEnv(bitroEnvSchema, { ...valid, NODE_ENV: 'production', GATEWAY_HMAC_SECRET: 'h'.repeat(32) }).GATEWAY_HMAC_SECRET).toBe('h'.repeat(32));
    expect(() => loadEnv(bitroEnvSchema, { ...valid, GATEWAY_HMAC_SECRET: 'short' })).toThrow(/GATEWAY_HMAC_SECRET: must be at least 32 characters/);
  });

  it.each([
    ['GATEWAY_URL', 'ftp://gateway'],
    ['GATEWAY_TIMEOUT_MS', '0'],
    ['WITHDRAWAL_MIN_SATS', '0'],
    ['WITHDRAWAL_MIN_SATS', '1.5'],
    ['WITHDRAWAL_DAILY_LIMIT_SATS', '-1'],
    ['WITHDRAWAL_MAX_FEE_MULTIPLIER_PERCENT', '99'],
  ])('refuses %s=%s', (variable, value) => {
    expect(() => loadEnv(bitroEnvSchema, { ...valid, [variable]: value })).toThrow(new RegExp(`${variable}:`));
  });
});

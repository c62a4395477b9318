import { describe, expect, it } from 'vitest';
import { gatewayEnvSchema } from './gateway-env.schema';
import { InvalidEnvironmentError, loadEnv } from './load-env';

const valid = {
  GATEWAY_DATABASE_URL: 'postgresql://gateway@127.0.0.1:5432/bitro',
  REDIS_URL: 'redis://127.0.0.1:6379',
  BITCOIN_RPC_USER: 'bitro',
  BITCOIN_RPC_PASSWORD: 'secret',
  GATEWAY_HMAC_SECRET: 'h'.repeat(32),
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadEnv(gatewayEnvSchema, env);
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) return error.problems.map((p) => p.variable).sort();
    throw error;
  }
  return [];
}

describe('gatewayEnvSchema', () => {
  it('applies the defaults', () => {
    const env = loadEnv(gatewayEnvSchema, valid);
    expect(env).toMatchObject({
      PORT: 3100,
      METRICS_HOST: '127.0.0.1',
      METRICS_PORT: 9465,
      BITCOIN_NETWORK: 'regtest',
      BITCOIN_RPC_URL: 'http://127.0.0.1:18443',
      BITCOIN_RPC_WALLET: 'bitro',
      GATEWAY_HMAC_SECRET: ['h'.repeat(32)],
      GATEWAY_HMAC_WINDOW_SECONDS: 300,
      FEE_FALLBACK_SAT_PER_VB: 10,
      FEE_CONF_TARGET: 6,
    });
  });

  it('takes several comma-separated HMAC secrets for a rotation', () => {
    const env = loadEnv(gatewayEnvSchema, { ...valid, GATEWAY_HMAC_SECRET: `${'a'.repeat(32)}, ${'b'.repeat(40)}` });
    expect(env.GATEWAY_HMAC_SECRET).toEqual(['a'.repeat(32), 'b'.repeat(40)]);
  });

  it('accepts a cookie file instead of user and password', () => {
    const { BITCOIN_RPC_USER: _u, BITCOIN_RPC_PASSWORD: _p, ...rest } = valid;
    expect(loadEnv(gatewayEnvSchema, { ...rest, BITCOIN_RPC_COOKIE_FILE: '/data/.cookie' }).BITCOIN_RPC_COOKIE_FILE).toBe('/data/.cookie');
  });

  it('names every bad variable at once, the missing RPC credentials included', () => {
    expect(
      problemsOf({ PORT: 'x', REDIS_URL: 'http://x', BITCOIN_NETWORK: 'main', GATEWAY_HMAC_SECRET: `${'a'.repeat(32)},short`, FEE_CONF_TARGET: '0' }),
    ).toEqual(['BITCOIN_NETWORK', 'BITCOIN_RPC_USER', 'FEE_CONF_TARGET', 'GATEWAY_DATABASE_URL', 'GATEWAY_HMAC_SECRET', 'PORT', 'REDIS_URL']);
    expect(problemsOf({ ...valid, BITCOIN_RPC_USER: '', BITCOIN_RPC_PASSWORD: '' })).toEqual(['BITCOIN_RPC_USER']);
    expect(problemsOf({ ...valid, BITCOIN_RPC_PASSWORD: '' })).toEqual(['BITCOIN_RPC_PASSWORD']);
    expect(problemsOf({ ...valid, BITCOIN_RPC_COOKIE_FILE: '/data/.cookie' })).toEqual(['BITCOIN_RPC_COOKIE_FILE']);
  });
});

import { describe, expect, it } from 'vitest';
import { bitroEnvSchema } from './bitro-env.schema';
import { InvalidEnvironmentError, loadEnv } from './load-env';

const valid = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/bitro',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_SECRET: 'x'.repeat(32),
  PIN_HASH_KEY: 'p'.repeat(32),
};

describe('loadEnv', () => {
  it('applies defaults and coerces numbers and flags', () => {
    const env = loadEnv(bitroEnvSchema, { ...valid, PORT: '8080', TRUST_PROXY: '1' });
    expect(env.PORT).toBe(8080);
    expect(env.TRUST_PROXY).toBe(1);
    expect(env.NODE_ENV).toBe('development');
    expect(env.ACCESS_TOKEN_TTL_SECONDS).toBe(900);
  });

  it('names every offending variable in one error', () => {
    let error: unknown;
    try {
      loadEnv(bitroEnvSchema, { PORT: 'eighty', JWT_SECRET: 'short', REDIS_URL: 'http://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    const variables = (error as InvalidEnvironmentError).problems.map((p) => p.variable).sort();
    expect(variables).toEqual(['DATABASE_URL', 'JWT_SECRET', 'PIN_HASH_KEY', 'PORT', 'REDIS_URL']);
    expect((error as Error).message).toContain('JWT_SECRET: must be at least 32 characters');
  });

  it('parses the roles list and requires the URL of an HTTP issuer', () => {
    expect(loadEnv(bitroEnvSchema, { ...valid, BITRO_ROLES: 'http, worker' }).BITRO_ROLES).toEqual(['http', 'worker']);
    expect(() => loadEnv(bitroEnvSchema, { ...valid, BITRO_ROLES: 'http,cron' })).toThrow(/BITRO_ROLES/);
    expect(() => loadEnv(bitroEnvSchema, { ...valid, ISSUER: 'http' })).toThrow(/ISSUER_URL: is required when ISSUER=http/);
    expect(loadEnv(bitroEnvSchema, valid).FIXED_PRICE_KRW_PER_BTC).toBe(140_000_000n);
  });

  it('treats an empty value as unset', () => {
    expect(() => loadEnv(bitroEnvSchema, { ...valid, JWT_SECRET: '' })).toThrow(/JWT_SECRET/);
    expect(loadEnv(bitroEnvSchema, { ...valid, PORT: '' }).PORT).toBe(3000);
  });
});

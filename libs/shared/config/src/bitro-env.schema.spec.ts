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
      WITHDRAWAL_APPROVAL_THRESHOLD_SATS: 5_000_000n,
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
      WITHDRAWAL_APPROVAL_THRESHOLD_SATS: '0',
    });
    expect(env).toMatchObject({
      GATEWAY_URL: 'http://bitcoin-gateway:3100',
      GATEWAY_HMAC_SECRET: 'h'.repeat(32),
      GATEWAY_TIMEOUT_MS: 800,
      WITHDRAWAL_MIN_SATS: 5_460n,
      WITHDRAWAL_DAILY_LIMIT_SATS: 2_100_000_000_000_000n,
      WITHDRAWAL_MAX_FEE_MULTIPLIER_PERCENT: 150,
      WITHDRAWAL_APPROVAL_THRESHOLD_SATS: 0n,
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
    ['WITHDRAWAL_MIN_SATS', '545'],
    ['WITHDRAWAL_DAILY_LIMIT_SATS', '-1'],
    ['WITHDRAWAL_MAX_FEE_MULTIPLIER_PERCENT', '99'],
    ['WITHDRAWAL_APPROVAL_THRESHOLD_SATS', '-1'],
    ['WITHDRAWAL_APPROVAL_THRESHOLD_SATS', '0.5'],
  ])('refuses %s=%s', (variable, value) => {
    expect(() => loadEnv(bitroEnvSchema, { ...valid, [variable]: value })).toThrow(new RegExp(`${variable}:`));
  });
});

describe('bitroEnvSchema: images', () => {
  it('defaults to .data/images, served by bitro-api itself, with the documented limits', () => {
    expect(loadEnv(bitroEnvSchema, valid)).toMatchObject({
      IMAGE_DIR: '.data/images',
      IMAGE_MAX_BYTES: 5_242_880,
      IMAGE_MAX_PIXELS: 25_000_000,
      IMAGE_MAX_SIDE: 8_192,
      SERVE_IMAGES: true,
    });
  });

  it('takes a directory, limits and SERVE_IMAGES=false behind nginx', () => {
    const env = loadEnv(bitroEnvSchema, { ...valid, IMAGE_DIR: '/var/lib/bitro/images', IMAGE_MAX_BYTES: '1000', IMAGE_MAX_PIXELS: '4000000', IMAGE_MAX_SIDE: '2000', SERVE_IMAGES: 'false' });
    expect(env).toMatchObject({ IMAGE_DIR: '/var/lib/bitro/images', IMAGE_MAX_BYTES: 1000, IMAGE_MAX_PIXELS: 4_000_000, IMAGE_MAX_SIDE: 2000, SERVE_IMAGES: false });
  });

  it.each([
    ['IMAGE_MAX_BYTES', 'lots'],
    ['IMAGE_MAX_BYTES', '0'],
    ['IMAGE_MAX_PIXELS', '-1'],
    ['IMAGE_MAX_SIDE', '1.5'],
    ['SERVE_IMAGES', 'yes'],
  ])('refuses %s=%s', (variable, value) => {
    expect(() => loadEnv(bitroEnvSchema, { ...valid, [variable]: value })).toThrow(new RegExp(`${variable}:`));
  });
});

describe('bitroEnvSchema: redemption review', () => {
  it('holds redemptions over 200,000 KRW a day for review by default; 0 holds every one', () => {
    expect(loadEnv(bitroEnvSchema, valid).REDEMPTION_REVIEW_DAILY_KRW).toBe(200_000n);
    expect(loadEnv(bitroEnvSchema, { ...valid, REDEMPTION_REVIEW_DAILY_KRW: '0' }).REDEMPTION_REVIEW_DAILY_KRW).toBe(0n);
    expect(loadEnv(bitroEnvSchema, { ...valid, REDEMPTION_REVIEW_DAILY_KRW: '1000000' }).REDEMPTION_REVIEW_DAILY_KRW).toBe(1_000_000n);
  });

  it.each(['-1', '1.5', 'lots'])('refuses REDEMPTION_REVIEW_DAILY_KRW=%s', (value) => {
    expect(() => loadEnv(bitroEnvSchema, { ...valid, REDEMPTION_REVIEW_DAILY_KRW: value })).toThrow(/REDEMPTION_REVIEW_DAILY_KRW:/);
  });
});

describe('bitroEnvSchema: notifications', () => {
  it('has no e-mail server by default and documented delivery defaults', () => {
    expect(loadEnv(bitroEnvSchema, valid)).toMatchObject({
      SMTP_URL: undefined,
      SMTP_FROM: 'Bitro <no-reply@bitro.dev>',
      NOTIFICATION_WEBHOOK_TIMEOUT_MS: 5_000,
      NOTIFICATION_MAX_ATTEMPTS: 10,
      NOTIFICATION_BACKOFF_MS: 2_000,
      NOTIFICATION_BACKOFF_MAX_MS: 3_600_000,
      NOTIFICATION_POLL_INTERVAL_MS: 1_000,
      NOTIFICATION_WEBHOOK_ALLOW_LOOPBACK: false,
    });
    expect(loadEnv(bitroEnvSchema, { ...valid, SMTP_URL: 'smtps://u:p@mail.example.com:465' }).SMTP_URL).toBe('smtps://u:p@mail.example.com:465');
  });

  it.each([
    ['SMTP_URL', 'http://mail.example.com'],
    ['NOTIFICATION_WEBHOOK_TIMEOUT_MS', '0'],
    ['NOTIFICATION_MAX_ATTEMPTS', '-1'],
    ['NOTIFICATION_POLL_INTERVAL_MS', 'soon'],
  ])('refuses %s=%s', (variable, value) => {
    expect(() => loadEnv(bitroEnvSchema, { ...valid, [variable]: value })).toThrow(new RegExp(`${variable}:`));
  });
});

describe('bitroEnvSchema: audit trail', () => {
  it('defaults to blocks of 1000 records sealed at least every minute, anchored nowhere', () => {
    expect(loadEnv(bitroEnvSchema, valid)).toMatchObject({ AUDIT_BLOCK_MAX_RECORDS: 1_000, AUDIT_BLOCK_INTERVAL_MS: 60_000, AUDIT_ANCHOR: 'none' });
    expect(loadEnv(bitroEnvSchema, { ...valid, AUDIT_BLOCK_MAX_RECORDS: '16', AUDIT_BLOCK_INTERVAL_MS: '500' })).toMatchObject({
      AUDIT_BLOCK_MAX_RECORDS: 16,
      AUDIT_BLOCK_INTERVAL_MS: 500,
    });
  });

  it('anchors through the gateway only with the secret that signs its requests', () => {
    const secret = 'a-gateway-hmac-secret-of-32-characters';
    expect(loadEnv(bitroEnvSchema, { ...valid, AUDIT_ANCHOR: 'gateway', GATEWAY_HMAC_SECRET: secret })).toMatchObject({ AUDIT_ANCHOR: 'gateway' });
    expect(() => loadEnv(bitroEnvSchema, { ...valid, AUDIT_ANCHOR: 'gateway' })).toThrow(/GATEWAY_HMAC_SECRET: is required when AUDIT_ANCHOR=gateway/);
  });

  it.each([
    ['AUDIT_BLOCK_MAX_RECORDS', '0'],
    ['AUDIT_BLOCK_MAX_RECORDS', '100001'],
    ['AUDIT_BLOCK_INTERVAL_MS', '0'],
    ['AUDIT_ANCHOR', 'somewhere'],
  ])('refuses %s=%s', (variable, value) => {
    expect(() => loadEnv(bitroEnvSchema, { ...valid, [variable]: value })).toThrow(new RegExp(`${variable}:`));
  });
});

describe('bitroEnvSchema: TRUST_PROXY', () => {
  it('trusts no proxy by default, or the hop count or addresses given', () => {
    expect(loadEnv(bitroEnvSchema, valid).TRUST_PROXY).toBe(false);
    expect(loadEnv(bitroEnvSchema, { ...valid, TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(loadEnv(bitroEnvSchema, { ...valid, TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadEnv(bitroEnvSchema, { ...valid, TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1' }).TRUST_PROXY).toEqual(['127.0.0.1', '10.0.0.0/8', '::1']);
  });

  it.each(['true', 'TRUE', 'nginx', '10.0.0.0/33', '1.2.3', '10.1/8'])('refuses TRUST_PROXY=%s', (value) => {
    expect(() => loadEnv(bitroEnvSchema, { ...valid, TRUST_PROXY: value })).toThrow(/TRUST_PROXY:/);
  });
});

describe('bitroEnvSchema: reconciliation and retention', () => {
  it('defaults to a check every 5 minutes with a 5-minute grace over 24 hours, and keeps idempotency keys 48 hours', () => {
    expect(loadEnv(bitroEnvSchema, valid)).toMatchObject({ RECONCILE_INTERVAL_MS: 300_000, RECONCILE_GRACE_MINUTES: 5, RECONCILE_WINDOW_HOURS: 24, IDEMPOTENCY_RETENTION_HOURS: 48 });
    expect(loadEnv(bitroEnvSchema, { ...valid, RECONCILE_GRACE_MINUTES: '0', IDEMPOTENCY_RETENTION_HOURS: '1' })).toMatchObject({ RECONCILE_GRACE_MINUTES: 0, IDEMPOTENCY_RETENTION_HOURS: 1 });
  });

  it.each([
    ['RECONCILE_INTERVAL_MS', '0'],
    ['RECONCILE_GRACE_MINUTES', '-1'],
    ['RECONCILE_WINDOW_HOURS', 'a day'],
    ['IDEMPOTENCY_RETENTION_HOURS', '0'],
  ])('refuses %s=%s naming it', (variable, value) => {
    expect(() => loadEnv(bitroEnvSchema, { ...valid, [variable]: value })).toThrow(new RegExp(`${variable}:`));
  });
});

describe('bitroEnvSchema: metrics', () => {
  it('serves metrics on 127.0.0.1:9464 by default; 0 turns them off; a bad port is named', () => {
    expect(loadEnv(bitroEnvSchema, valid)).toMatchObject({ METRICS_HOST: '127.0.0.1', METRICS_PORT: 9464 });
    expect(loadEnv(bitroEnvSchema, { ...valid, METRICS_HOST: '0.0.0.0', METRICS_PORT: '0' })).toMatchObject({ METRICS_HOST: '0.0.0.0', METRICS_PORT: 0 });
    expect(() => loadEnv(bitroEnvSchema, { ...valid, METRICS_PORT: '70000' })).toThrow(/METRICS_PORT/);
  });
});
